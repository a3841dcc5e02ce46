// Flags for Debian's headless chromium on machines whose network reaches only package registries:
// without the background-networking ones, chromium keeps trying to reach its own services.
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
];

/** Environment that keeps chromium's config, cache and temporary files inside `dir`. */
export function isolatedEnv(dir: string): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    TMPDIR: dir,
    XDG_CONFIG_HOME: `${dir}/config`,
    XDG_CACHE_HOME: `${dir}/cache`,
    XDG_DATA_HOME: `${dir}/data`,
  };
}
