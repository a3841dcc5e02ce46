// `archlab agent --queue URL`: trains trials that controllers put on the queue, until stopped.
import { join } from "node:path";
import { checkReachable, shownQueueUrl } from "../engine/sweep/queue/connection";
import { startAgent } from "../engine/sweep/queue/agent";
import type { BackendPreference } from "../engine/types";
import { EXIT } from "./output";

export interface AgentCliOptions {
  queue: string;
  concurrency: number;
  backend: BackendPreference;
  threads?: number;
  fashionMnistDir?: string;
}

export async function agentCommand(options: AgentCliOptions): Promise<number> {
  await checkReachable(options.queue);
  const log = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
  const lockMs = Number(process.env.ARCHLAB_AGENT_LOCK_MS) || undefined;
  const agent = await startAgent({
    url: options.queue,
    concurrency: options.concurrency,
    trainerPath: join(__dirname, "trainer.js"),
    backend: options.backend,
    threads: options.threads,
    fashionMnistDir: options.fashionMnistDir,
    lockMs,
    log,
  });
  log(
    `agent ${agent.name} waiting for trials on ${shownQueueUrl(options.queue)} (${options.concurrency} at a time); Ctrl-C to stop`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      // Twice: leave at once; the queue gives the running trials to another agent once their locks lapse.
      process.once(signal, () => process.exit(EXIT.cancelled));
      log("finishing the running trials, then stopping (Ctrl-C again to leave them to other agents)");
      void agent.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return EXIT.ok;
}
