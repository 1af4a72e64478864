// Starts components in dependency order and stops them in exact reverse
// (chrony main.c). Stopping is idempotent and always runs every stop, even
// when one fails. It does not know what the components are.

import type { Logger } from './log';

export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class Lifecycle {
  private readonly components: Component[] = [];
  private started: Component[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly logger?: Logger) {}

  add(component: Component): this {
    this.components.push(component);
    return this;
  }

  /** Start every component in order; on failure, stop those already started and rethrow. */
  async start(): Promise<void> {
    for (const component of this.components) {
      try {
        await component.start();
      } catch (err) {
        this.logger?.debug({ component: component.name, err }, 'start failed; stopping what started');
        await this.stop();
        throw err;
      }
      this.started.push(component);
    }
  }

  /** Stop started components in reverse order. Safe to call many times. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const component of [...this.started].reverse()) {
      try {
        await component.stop();
      } catch (err) {
        this.logger?.error({ component: component.name, err }, 'stop failed');
        errors.push(err);
      }
    }
    this.started = [];
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} component(s) failed to stop`);
  }
}

/** A component made of two closures, for small things that need no class. */
export function component(name: string, start: () => Promise<void>, stop: () => Promise<void>): Component {
  return { name, start, stop };
}
