import type { DeploymentHealth } from '../core/route.js';

/** Every deployment available: the default until breakers and cooldowns are wired in. */
export const ALWAYS_AVAILABLE: DeploymentHealth = { available: () => true };
