/** A config that cannot be used, with every problem found, each prefixed by its path. */
export class ConfigError extends Error {
  readonly problems: string[];
  readonly source: string;

  constructor(source: string, problems: string[]) {
    super(
      `Invalid configuration (${source}):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.source = source;
    this.problems = problems;
  }
}
