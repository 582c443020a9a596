import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload, isSightlineError, type ActionsPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import { FakeLlm } from '../testing/fake-llm.ts';
import { SessionSummarizer } from '../summarizer/session-summarizer.ts';
import { AgentContextWriter, type ActionsDelivery, type AgentContextWriterOptions, type WriterErrorContext } from './agent-context-writer.ts';

function batch(sessionId: string, count: number, from = 0): ActionsPayload {
  return createActionsPayload({
    product_id: 'acme',
    session_id: sessionId,
    forwarded_at: 1_700_000_000 + from,
    actions: Array.from({ length: count }, (_, offset) => ({
      index: from + offset,
      type: 'click',
      description: `d${from + offset}`,
      canonical_url: `/p/${from + offset}`,
      timestamp_start: 1_700_000_000 + from + offset,
    })),
  });
}

function setup(options: Partial<AgentContextWriterOptions> = {}, threshold = 100) {
  const clock = new FakeClock();
  const llm = new FakeLlm({ reply: 'summary text' });
  const summarizer = new SessionSummarizer({ llm: llm.fn, threshold, clock, retryBackoff: false, idleTimeoutMs: null });
  const log: string[] = [];
  const written: ActionsDelivery[] = [];
  const errors: WriterErrorContext[] = [];
  const writer = new AgentContextWriter({
    summarizer,
    clock,
    writeActions: (delivery) => {
      written.push(delivery);
      log.push(`actions ${delivery.payload.actions.length}`);
    },
    overwriteWithSummary: (summary) => {
      log.push(`summary ${summary.replaces}`);
    },
    onError: (_error, context) => errors.push(context),
    ...options,
  });
  return { clock, llm, summarizer, writer, log, written, errors };
}

describe('AgentContextWriter delivery', () => {
  test('without debounce each batch is written at once and counted by the summarizer', async () => {
    const { writer, summarizer, written } = setup();
    await writer.add(batch('s1', 2));
    assert.equal(written.length, 1);
    assert.deepEqual({ ...written[0]!, payload: undefined }, {
      productId: 'acme',
      sessionId: 's1',
      text: 'Session s1 — 2 actions\n[0] click: d0 — /p/0\n[1] click: d1 — /p/1',
      payload: undefined,
    });
    assert.equal(summarizer.pendingCount({ productId: 'acme', sessionId: 's1' }), 2);
  });

  test('debounce merges rapid batches on the trailing edge: one write, one add of every action', async () => {
    const { clock, writer, summarizer, written } = setup({ debounceMs: 500 }, 7);
    const summaries: number[] = [];
    summarizer.onSummary((summary) => {
      summaries.push(summary.replaces);
    });
    await writer.add(batch('s1', 3, 0));
    await clock.advance(400);
    await writer.add(batch('s1', 4, 3));
    await clock.advance(499);
    assert.equal(written.length, 0, 'every arrival restarts the window');
    assert.equal(writer.pendingSessions, 1);
    await clock.advance(1);
    await summarizer.flush();
    assert.equal(written.length, 1);
    assert.equal(written[0]!.payload.count, 7);
    assert.deepEqual(written[0]!.payload.actions.map((action) => action.index), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(summaries, [7]);
  });

  test('debounce windows are per session', async () => {
    const { clock, writer, written } = setup({ debounceMs: 500 });
    await writer.add(batch('s1', 1));
    await clock.advance(300);
    await writer.add(batch('s2', 1));
    await clock.advance(200);
    assert.deepEqual(written.map((delivery) => delivery.sessionId), ['s1']);
    await clock.advance(300);
    assert.deepEqual(written.map((delivery) => delivery.sessionId), ['s1', 's2']);
  });

  test('a failing writeActions is reported and the summarizer still counts the batch', async () => {
    const { writer, summarizer, errors } = setup({
      writeActions: () => {
        throw new Error('destination down');
      },
    });
    await writer.add(batch('s1', 2));
    assert.equal(summarizer.pendingCount({ productId: 'acme', sessionId: 's1' }), 2);
    assert.deepEqual(errors.map((error) => error.stage), ['write-actions']);
  });

  test('close() delivers pending debounced batches, then refuses new ones', async () => {
    const { writer, written } = setup({ debounceMs: 10_000 });
    await writer.add(batch('s1', 2));
    await writer.add(batch('s2', 1));
    await writer.close();
    assert.deepEqual(written.map((delivery) => delivery.sessionId).sort(), ['s1', 's2']);
    await assert.rejects(writer.add(batch('s1', 1)), (error: unknown) => isSightlineError(error, 'SL_WRITER_CLOSED'));
  });
});

describe('AgentContextWriter summaries', () => {
  test('a summary is written before the actions it replaces are dropped, retrying with backoff', async () => {
    const log: string[] = [];
    let failures = 2;
    const { clock, writer, summarizer, errors } = setup(
      {
        writeActions: ({ payload }) => {
          log.push(`actions ${payload.actions.length}`);
        },
        overwriteWithSummary: (summary) => {
          if (failures-- > 0) {
            log.push('summary failed');
            throw new Error('503');
          }
          log.push(`summary ${summary.replaces}`);
        },
        dropReplacedActions: (summary) => {
          log.push(`drop ${summary.replaces}`);
        },
      },
      3,
    );
    await writer.add(batch('s1', 3));
    await summarizer.flush();
    assert.deepEqual(log, ['actions 3', 'summary failed']);
    assert.deepEqual(clock.pendingDelays(), [1_000]);
    await clock.advance(1_000);
    assert.deepEqual(clock.pendingDelays(), [2_000]);
    await clock.advance(2_000);
    assert.deepEqual(log, ['actions 3', 'summary failed', 'summary failed', 'summary 3', 'drop 3']);
    assert.deepEqual(errors.map((error) => [error.stage, error.attempt, error.isFinal]), [
      ['overwrite-summary', 1, false],
      ['overwrite-summary', 2, false],
    ]);
    await writer.close();
  });

  test('when every attempt fails the replaced actions are never dropped', async () => {
    const log: string[] = [];
    const { clock, writer, summarizer, errors } = setup(
      {
        overwriteWithSummary: () => {
          throw new Error('gone');
        },
        dropReplacedActions: () => {
          log.push('drop');
        },
        summaryRetry: { initialMs: 10, maxAttempts: 3 },
      },
      2,
    );
    await writer.add(batch('s1', 2));
    await summarizer.flush();
    await clock.advance(1_000);
    assert.deepEqual(log, []);
    assert.deepEqual(errors.map((error) => error.isFinal), [false, false, true]);
  });

  test('summaries of one session are written in order even when the first write is slow', async () => {
    const log: string[] = [];
    let releaseFirst!: () => void;
    const firstGate = new Promise<void>((resolve) => (releaseFirst = resolve));
    const { llm, writer } = setup(
      {
        overwriteWithSummary: async (summary) => {
          if (summary.summary === 'one') await firstGate;
          log.push(summary.summary);
        },
      },
      2,
    );
    llm.replyNext('one').replyNext('two');
    await writer.add(batch('s1', 2, 0));
    await writer.add(batch('s1', 2, 2));
    await new Promise((resolve) => setImmediate(resolve));
    releaseFirst();
    await writer.flush();
    assert.deepEqual(log, ['one', 'two']);
  });

  test('invalid options are configuration errors', () => {
    const summarizer = new SessionSummarizer({ llm: new FakeLlm().fn });
    const isConfigError = (error: unknown) => isSightlineError(error, 'SL_CONFIG_INVALID');
    assert.throws(() => new AgentContextWriter({ summarizer, overwriteWithSummary: () => {}, debounceMs: -1 }), isConfigError);
    assert.throws(() => new AgentContextWriter({ summarizer, overwriteWithSummary: undefined as never }), isConfigError);
    assert.throws(() => new AgentContextWriter({ summarizer: undefined as never, overwriteWithSummary: () => {} }), isConfigError);
  });
});
