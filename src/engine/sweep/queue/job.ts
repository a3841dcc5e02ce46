// What a queued trial carries: the trial, the model file bundled into one script (so relative
// imports travel), and what the returned record's source should say.
import type { RunRecord, TrainingEvent } from "../../types";
import type { TrialJob } from "../trial";

export interface QueuedTrial {
  trial: TrialJob;
  /** The model file bundled (CommonJS, tfjs imports left to the agent's engine). */
  bundle: string;
  /** The model file's name, for the agent's copy and for messages. */
  fileName: string;
}

/** What an agent streams back while a trial runs (BullMQ job progress). */
export interface AgentUpdate {
  event: TrainingEvent;
  agent: string;
}

/** The agent's answer: the trial's final record. */
export interface AgentResult {
  record: RunRecord;
  agent: string;
}
