// `archlab train --resume RUN` as a user runs it: the continued run's progress, table and record,
// and the mistakes it refuses with exit code 2 before anything trains.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { TrainJson } from "../../src/cli/train";
import type { RunRecord } from "../../src/engine/types";
import { ensureBuilt, REPO } from "./helpers/build";

const BIN = join(REPO, "bin/archlab.js");
const EXAMPLE = join(REPO, "examples/mnist.model.ts");

let cwd: string;
let parent: RunRecord;

function archlab(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const recordOf = async (id: string) =>
  JSON.parse(await readFile(join(cwd, ".archlab", "runs", `${id}.json`), "utf8")) as RunRecord;
/** The id of the first run `train --json` printed. */
const firstRunId = (stdout: string) => (JSON.parse(stdout) as TrainJson).runs[0].id;
const runCount = async () => (await readdir(join(cwd, ".archlab", "runs"))).filter((f) => f.endsWith(".json")).length;

before(async () => {
  ensureBuilt();
  cwd = await mkdtemp(join(tmpdir(), "archlab-continue-cli-"));
  const { code, stdout, stderr } = archlab(
    "train",
    EXAMPLE,
    "--model",
    "TinyCNN",
    "--limit",
    "2000",
    "--test-limit",
    "1000",
    "--epochs",
    "2",
    "--keep-models",
    "all",
    "--json",
  );
  assert.equal(code, 0, stderr);
  parent = await recordOf(firstRunId(stdout));
});
after(() => rm(cwd, { recursive: true, force: true }));

test("train --resume trains the run one more epoch as a new run: epoch 3 of 3, named after its parent in the table", async () => {
  const { code, stdout, stderr } = archlab(
    "train",
    "--resume",
    parent.id.slice(-4),
    "--epochs",
    "1",
    "--keep-models",
    "all",
  );
  assert.equal(code, 0, stderr);
  assert.match(stderr, new RegExp(`TinyCNN: continuing run ${parent.id} from epoch 2 for 1 more epoch`));
  assert.match(stderr, /TinyCNN epoch 3\/3: loss \d\.\d{4}/);
  assert.doesNotMatch(stderr, /epoch 1\/1/);
  assert.match(
    stdout,
    new RegExp(`^TinyCNN \\(continued from …${parent.id.slice(-4)} at epoch 2\\) +4,266 +\\d+\\.\\d\\d%`, "m"),
  );

  const records = await Promise.all(
    (await readdir(join(cwd, ".archlab", "runs")))
      .filter((f) => f.endsWith(".json"))
      .map((f) => recordOf(f.slice(0, -5))),
  );
  const child = records.find((r) => r.parent)!;
  assert.deepEqual(child.parent, { id: parent.id, epochs: 2 });
  assert.deepEqual(
    child.epochs.map((e) => e.epoch),
    [3],
  );
  assert.deepEqual(
    [child.status, child.model, child.file, child.config.limit, child.savedModel?.epoch],
    ["completed", "TinyCNN", parent.file, 2000, 3],
  );
  // Where the parent stopped (its test loss after epoch 2) and how a fresh model starts (ln 10).
  const stopped = parent.epochs[1].valLoss!;
  console.log(
    `parent: epoch losses ${parent.epochs.map((e) => e.loss.toFixed(4)).join(", ")}, test loss ${stopped.toFixed(4)}; continued epoch 3: loss ${child.epochs[0].loss.toFixed(4)}, test loss ${child.epochs[0].valLoss!.toFixed(4)}`,
  );
  assert.ok(child.epochs[0].loss < parent.epochs[1].loss, "the training loss goes on falling");
  assert.ok(child.epochs[0].valLoss! < stopped, "and so does the test loss");
  assert.ok(child.epochs[0].loss < 0.7 * Math.log(10), "not back at the start");
});

test("unknown runs, runs without a saved model and settings the parent decides are usage errors (exit 2), and nothing trains", async () => {
  const before = await runCount();
  const unknown = archlab("train", "--resume", "no-such-run");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^archlab: Cannot continue training: No run "no-such-run" in .*\.archlab\/runs$/m);

  const none = archlab(
    "train",
    EXAMPLE,
    "--model",
    "MLP",
    "--limit",
    "300",
    "--test-limit",
    "100",
    "--epochs",
    "1",
    "--keep-models",
    "none",
    "--json",
  );
  assert.equal(none.code, 0, none.stderr);
  const bare = firstRunId(none.stdout);
  const missing = archlab("train", "--resume", bare);
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    new RegExp(
      `Cannot continue training: Run ${bare} has no saved model: its trained model was not kept \\(the archlab.keepModels setting, --keep-models on the command line\\) or was deleted`,
    ),
  );

  const withLr = archlab("train", "--resume", parent.id, "--lr", "0.1", "--limit", "10");
  assert.equal(withLr.code, 2);
  assert.match(withLr.stderr, /--resume trains with the settings of the run it continues: leave out --lr, --limit/);
  const withFile = archlab("train", EXAMPLE, "--resume", parent.id);
  assert.equal(withFile.code, 2);
  assert.match(
    withFile.stderr,
    /--resume trains the run's saved model with the source it was trained from: leave out the model file/,
  );
  assert.equal(await runCount(), before + 1, "only the MLP run was recorded");
});

test("the help tells train --resume (a run's model, further) from sweep --resume (an interrupted sweep)", () => {
  const train = archlab("train", "--help").stdout.replace(/\s+/g, " ");
  assert.match(train, /--resume <run> continue training a run .* from its saved weights and optimizer state/);
  assert.match(train, /not to be confused with sweep --resume/);
  const sweep = archlab("sweep", "--help").stdout.replace(/\s+/g, " ");
  assert.match(sweep, /--resume <id> go on with an interrupted sweep \(a sweep id\).*see train --resume/);
});
