// The trainer child process: serves one request from the extension host, then exits.
// All TensorFlow.js work happens here so the extension host never loads tfjs or blocks.
import type { RunError, RunRecord } from "../engine/types";
import { PredictionServer } from "./predictions";
import type {
  ContinueRequest,
  HostToTrainer,
  InspectRequest,
  PlanSweepRequest,
  PredictModel,
  TrainerToHost,
  TrainRequest,
  TrialRequest,
} from "../shared/protocol";
import type { Decision } from "../engine/sweep/asha";
import { planSweep } from "../engine/sweep/plan";
import { SweepStore } from "../engine/sweep/store";
import { runTrial } from "../engine/sweep/trial";
import { initBackend } from "../engine/backend";
import { inspectModelFile, toRunError } from "../engine/models";
import { interruptedRecord, WINDOW_CLOSED } from "../engine/runs/interrupted";
import { RunStore } from "../engine/runs/store";
import { continueRun, JobSpecError, runJob, type JobHooks } from "../engine/train";

const abort = new AbortController();
let hostGone = false;
let busy = false;

function send(message: TrainerToHost): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function describeFailure(err: unknown): RunError {
  const located = toRunError(err);
  // A model file error is the user's to fix and says where; anything else is ours: keep the stack.
  return located.line === undefined && err instanceof Error ? { ...located, stderr: err.stack } : located;
}

async function train(request: TrainRequest | ContinueRequest): Promise<void> {
  const env = {
    backend: request.backend,
    threads: request.threads,
    cores: request.cores,
    storeRoot: request.storeRoot,
    runsDir: request.runsDir,
    searchPaths: request.searchPaths,
    keepModels: request.keepModels,
    datasetOptions: { fashionMnistDir: request.fashionMnistDir, signal: abort.signal },
  };
  const hooks: JobHooks = {
    signal: abort.signal,
    onEvent: (event) => void send({ type: "event", event }),
    onLog: (message) => void send({ type: "log", message }),
    onWarning: (message) => void send({ type: "warning", message }),
    onStoreError: (err, record) =>
      void send({
        type: "notRecorded",
        runId: record.id,
        message: err.withAlternative(request.runsFolderAlternative ?? "set archlab.runsFolder to another folder"),
      }),
  };
  const records =
    request.type === "continue"
      ? [await continueRun({ ...env, runId: request.runId, epochs: request.epochs }, hooks)]
      : await runJob({ ...env, file: request.file, models: request.models, overrides: request.overrides }, hooks);
  // Cancelled because the host went away (the window closed or reloaded), not because the user asked: say so.
  if (hostGone)
    await markInterrupted(
      new RunStore(request.storeRoot, request.runsDir),
      records,
      request.hostGoneReason ?? WINDOW_CLOSED,
    );
  await send({ type: "trained", records });
}

async function markInterrupted(store: RunStore, records: RunRecord[], reason: string): Promise<void> {
  for (const record of records.filter((r) => r.status === "cancelled" || r.status === "running")) {
    // Nobody is left to tell about a failed write; the record's owner lets the next reader repair it.
    await store.save(interruptedRecord(record, reason)).catch(() => undefined);
  }
}

// Decisions by epoch: whichever comes first, the host's answer or the trial asking for it.
const decisions = new Map<number, Decision>();
const waiting = new Map<number, (decision: Decision) => void>();

function decided(epoch: number, decision: Decision): void {
  const resolve = waiting.get(epoch);
  if (resolve) resolve(decision);
  else decisions.set(epoch, decision);
}

async function trial(request: TrialRequest): Promise<void> {
  const record = await runTrial(request.job, request.env, {
    signal: abort.signal,
    onEvent: (event) => void send({ type: "event", event }),
    onLog: (message) => void send({ type: "log", message }),
    decide: (epoch) => {
      const known = decisions.get(epoch);
      if (known) return Promise.resolve(known);
      // Stopped while waiting: go on, and the next cancellation point ends the run as cancelled.
      return new Promise<Decision>((resolve) => {
        waiting.set(epoch, resolve);
        abort.signal.addEventListener("abort", () => resolve("continue"), { once: true });
      });
    },
  });
  if (hostGone)
    await markInterrupted(new RunStore(request.env.storeRoot, request.env.runsDir), [record], WINDOW_CLOSED);
  await send({ type: "trained", records: [record] });
}

async function inspect(request: InspectRequest): Promise<void> {
  // Inspection only builds models: the cpu backend starts fastest and counts the same.
  const { tf } = await initBackend(request.backend ?? "cpu");
  const report = await inspectModelFile(request.file, tf, request.content);
  await send({ type: "inspected", report });
}

// Created on the first 'predict', which may arrive before the 'predictor' request that keeps the child up.
let predictions: PredictionServer | undefined;

async function predict(requestId: number, models: PredictModel[], pixels: number[]): Promise<void> {
  const results = await (predictions ??= new PredictionServer()).predict(models, pixels);
  await send({ type: "predictions", requestId, results });
}

async function plan(request: PlanSweepRequest): Promise<void> {
  const sweeps = new SweepStore(request.request.storeRoot);
  const { record } = await planSweep(request.request, (model) => sweeps.newId(model), "local");
  await send({ type: "sweepPlanned", sweep: record });
}

async function serve(
  request: TrainRequest | ContinueRequest | InspectRequest | TrialRequest | PlanSweepRequest,
): Promise<void> {
  busy = true;
  try {
    if (request.type === "train" || request.type === "continue") await train(request);
    else if (request.type === "trial") await trial(request);
    else if (request.type === "planSweep") await plan(request);
    else await inspect(request);
  } catch (err) {
    const usage = err instanceof JobSpecError;
    await send({ type: "failed", error: usage ? { message: err.message } : describeFailure(err), usage });
  }
  process.exit(0);
}

process.on("message", (message: HostToTrainer) => {
  switch (message.type) {
    case "train":
    case "continue":
    case "inspect":
    case "trial":
    case "planSweep":
      if (!busy) void serve(message);
      return;
    case "predictor":
      // Nothing to start: the open IPC channel keeps the child up; 'stop' or the host leaving ends it.
      return;
    case "predict":
      void predict(message.requestId, message.models, message.pixels);
      return;
    case "decision":
      decided(message.epoch, message.decision);
      return;
    case "stop":
      if (busy) abort.abort();
      else process.exit(0);
      return;
    default: {
      const unknown: never = message;
      void send({ type: "log", message: `Ignored unknown message ${JSON.stringify(unknown)}` });
    }
  }
});

// Ctrl-C in a terminal reaches the whole process group, this child of the CLI too: the host
// decides (it asks to stop, or kills), as it does for the extension.
process.on("SIGINT", () => undefined);

process.on("disconnect", () => {
  hostGone = true;
  abort.abort();
  if (!busy) process.exit(0);
});

void send({ type: "ready", pid: process.pid });
