import { defineValidator } from '../common/define-validator';
import { isIsoDuration, isTimeOfDay } from './schedule.rules';

export const IsIsoDuration = defineValidator(
  'isIsoDuration',
  isIsoDuration,
  (p) => `${p} must be an ISO-8601 duration such as P2D, PT10M or PT30S`,
);

export const IsTimeOfDay = defineValidator(
  'isTimeOfDay',
  isTimeOfDay,
  (p) => `${p} must be a time of day as HH:mm, e.g. 20:00`,
);
