import { Module } from '@nestjs/common';
import { MessageRenderer } from './message.renderer';

@Module({
  providers: [MessageRenderer],
  exports: [MessageRenderer],
})
export class MessagesModule {}
