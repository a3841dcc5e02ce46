// package.json repeats identifiers and literal lists the code defines once; these tests keep the
// two in step, so a backend, command or setting added on one side only fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import manifest from "../../package.json";
import { Commands, Settings, VIEW_TYPE } from "../../src/extension/constants";
import { BACKEND_PREFERENCES, DEFAULT_KEEP_MODELS, KEEP_MODELS } from "../../src/engine/types";

const properties = manifest.contributes.configuration.properties as Record<string, { enum?: string[] }>;

test("the backend setting's choices are the engine's backend preferences, in order", () => {
  assert.deepEqual(properties[`${Settings.section}.${Settings.backend}`].enum, [...BACKEND_PREFERENCES]);
});

test("the keepModels setting's choices and default are the engine's", () => {
  const setting = properties[`${Settings.section}.${Settings.keepModels}`] as { enum?: string[]; default?: string };
  assert.deepEqual(setting.enum, [...KEEP_MODELS]);
  assert.equal(setting.default, DEFAULT_KEEP_MODELS);
});

test("every command in package.json is one the extension registers, and the other way round", () => {
  const declared = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(declared, Object.values(Commands).sort());
});

test("every setting in package.json is one the extension reads, and the other way round", () => {
  const { section, ...keys } = Settings;
  const expected = Object.values(keys)
    .map((key) => `${section}.${key}`)
    .sort();
  assert.deepEqual(Object.keys(properties).sort(), expected);
});

test("the panel is restored through the activation event of its view type", () => {
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${VIEW_TYPE}`));
});
