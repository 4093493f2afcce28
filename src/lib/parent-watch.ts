/**
 * Calls `onExit` once when the process that started this one is gone (this
 * process was handed to another parent). A supervisor, an IDE or `kill` that
 * stops `npm start` but not its child would otherwise leave the service
 * running, holding its port and the embedded database.
 */
export function onParentExit(onExit: () => void, intervalMs = 500): void {
  const parent = process.ppid;
  // Started by init or a container's first process: nothing to watch.
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onExit();
  }, intervalMs);
  timer.unref();
}
