// @ts-check
/**
 * The layers of src/, bottom first (README, "Architecture"). A folder may import only folders
 * listed before it (and itself), so no import climbs up and no two folders can form a cycle.
 * Type-only imports count too: a type names what it depends on as much as a value does.
 */
const LAYERS = [
  ['common', 'database', 'config', 'schedule'],
  ['jobs', 'auth', 'rate-limit', 'http', 'events', 'mail', 'pages'],
  ['students', 'funnels', 'partners'],
  ['messages', 'outbox'],
  [
    'cohorts',
    'releases',
    'referrals',
    'enrollments',
    'attendance',
    'homework',
    'pricing',
    'orders',
    'commissions',
    'licenses',
    'channels',
    'notes',
  ],
  ['analytics', 'fanout', 'lesson-pages'],
  ['health', 'tokens', 'standalone'],
  ['console'],
];
const ORDER = LAYERS.flat();
const folder = (name) => `^src/${name.replace(/[-]/g, '\\-')}/`;

/**
 * The one exception: the options a host application passes (config/course-funnel.options.ts) name
 * the rule settings of the features they tune (commission rates, promotion thresholds, referral
 * limits). Those shapes stay beside their rules; the options file may name them, as types only.
 */
const OPTIONS_FILE = '^src/config/course-funnel\\.options\\.ts$';

/** One rule per folder: nothing it imports may come later in ORDER than itself. */
const noUpward = ORDER.slice(0, -1).map((name, rank) => ({
  name: `layers: ${name}`,
  comment: `${name}/ sits below ${ORDER.slice(rank + 1).join(', ')}; move the shared part down, or invert the call with a domain event or hook`,
  severity: 'error',
  from: { path: folder(name), pathNot: OPTIONS_FILE },
  to: { path: `^src/(${ORDER.slice(rank + 1).join('|')})/` },
}));

const optionsNameTypesOnly = {
  name: 'layers: options name feature settings as types only',
  comment: "config/course-funnel.options.ts may name a feature's settings type, never import its code",
  severity: 'error',
  from: { path: OPTIONS_FILE },
  to: { path: `^src/(${ORDER.slice(ORDER.indexOf('config') + 1).join('|')})/`, dependencyTypesNot: ['type-only'] },
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...noUpward,
    optionsNameTypesOnly,
    {
      name: 'layers: known folders',
      comment: 'every folder of src/ has a place in LAYERS (.dependency-cruiser.cjs) and in the README',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: `^src/(${ORDER.join('|')})/` },
      to: {},
    },
    {
      name: 'layers: root files on top',
      comment: 'the module and entry points in src/ import features; features never import them',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'no file-level import cycles either (within a folder they make load order fragile)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    includeOnly: '^src/',
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
