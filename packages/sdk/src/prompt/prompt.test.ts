import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createActionsPayload } from '@sightline/protocol';
import { FakeClock } from '@sightline/protocol/testing';
import { ContextStore } from '../context-store/context-store.ts';
import { buildSelectedContext, buildUserPromptBlock } from './build-user-prompt-block.ts';
import { assembleChatContext } from './chat-context-assembly.ts';
import { formatHistoryForPrompt } from './format-history.ts';
import { formatKbRecordsForPrompt } from './format-kb-records.ts';
import { MemoryChatWatermarkStore, cutoffForDeltaActivity, effectiveInboundTimestamp } from './watermark-store.ts';

describe('formatting functions', () => {
  test('formatHistoryForPrompt: header, one line per non-blank turn, role defaulting to user', () => {
    assert.equal(formatHistoryForPrompt([]), '');
    assert.equal(
      formatHistoryForPrompt([{ role: 'user', content: ' Hi ' }, { role: 'assistant', content: '  ' }, { role: null, content: 'Export?' }, { role: 'assistant', content: 'Use Reports.' }]),
      'Prior conversation:\nuser: Hi\nuser: Export?\nassistant: Use Reports.',
    );
    assert.equal(formatHistoryForPrompt([{ content: ' ' }]), 'Prior conversation:');
    assert.equal(formatHistoryForPrompt([{ content: 'x' }], 'Earlier:'), 'Earlier:\nuser: x');
  });

  test('formatKbRecordsForPrompt: header then titled parts, "Doc i" by position when untitled', () => {
    assert.equal(formatKbRecordsForPrompt([]), '');
    assert.equal(
      formatKbRecordsForPrompt([{ title: 'Export', content: 'Reports → Export.' }, { content: ' ' }, { title: '', content: 'Third.' }]),
      'Knowledge base excerpts:\n\n--- Export ---\nReports → Export.\n\n--- Doc 3 ---\nThird.',
    );
  });
});

describe('buildUserPromptBlock', () => {
  test('all sections in the exact order with exact headers', () => {
    const block = buildUserPromptBlock({
      activitySinceLastChatMessage: ' 1. [4] click: Opened billing — /billing ',
      recentActivity: 'Recent activity:\n1. [3] pageview: Landed — /home',
      conversationHistoryText: 'Prior conversation:\nuser: Hi',
      kbRecordsText: 'Knowledge base excerpts:\n\n--- Billing ---\nPlans.',
      userMessage: ' How do I upgrade? ',
    });
    assert.equal(
      block,
      [
        '[ACTIVITY SINCE YOUR LAST CHAT MESSAGE]\n1. [4] click: Opened billing — /billing',
        '[RECENT PRODUCT ACTIVITY]\nRecent activity:\n1. [3] pageview: Landed — /home',
        'Prior conversation:\nuser: Hi',
        'Knowledge base excerpts:\n\n--- Billing ---\nPlans.',
        '[CURRENT USER MESSAGE]\nHow do I upgrade?',
      ].join('\n\n'),
    );
  });

  test('blank sections are left out; the current message is always present, even empty', () => {
    assert.equal(
      buildUserPromptBlock({ recentActivity: '  ', kbRecordsText: '', conversationHistoryText: '\n', userMessage: '' }),
      '[CURRENT USER MESSAGE]\n',
    );
    assert.equal(
      buildUserPromptBlock({ recentActivity: 'R', kbRecordsText: '', conversationHistoryText: '', userMessage: 'Q' }),
      '[RECENT PRODUCT ACTIVITY]\nR\n\n[CURRENT USER MESSAGE]\nQ',
    );
  });

  test('buildSelectedContext keeps delta, recent and KB only, and may be empty', () => {
    const assembly = { activitySinceLastChatMessage: 'D', recentActivity: 'R', conversationHistoryText: 'Prior conversation:\nuser: x', kbRecordsText: 'K', userMessage: 'Q' };
    assert.equal(buildSelectedContext(assembly), '[ACTIVITY SINCE YOUR LAST CHAT MESSAGE]\nD\n\n[RECENT PRODUCT ACTIVITY]\nR\n\nK');
    assert.equal(buildSelectedContext({ recentActivity: '', kbRecordsText: '', conversationHistoryText: 'H', userMessage: 'Q' }), '');
  });
});

describe('chat watermark', () => {
  test('the memory store is per conversation and last-write-wins', async () => {
    const store = new MemoryChatWatermarkStore();
    const scope = { productId: 'acme', conversationId: 'c1' };
    assert.equal(await store.getPreviousInboundAt(scope), null);
    await store.setLastInboundAt(scope, 100);
    await store.setLastInboundAt(scope, 90);
    assert.equal(await store.getPreviousInboundAt(scope), 90);
    assert.equal(await store.getPreviousInboundAt({ productId: 'acme', conversationId: 'c2' }), null);
    assert.equal(await store.getPreviousInboundAt({ tenantId: 't', productId: 'acme', conversationId: 'c1' }), null);
  });

  test('cutoff and effective timestamp helpers', () => {
    assert.equal(cutoffForDeltaActivity(null), null);
    assert.equal(cutoffForDeltaActivity(12.5), 12.5);
    const clock = new FakeClock({ now: 1_700_000_000_500 });
    assert.equal(effectiveInboundTimestamp(10, 20, clock), 10);
    assert.equal(effectiveInboundTimestamp(null, 20, clock), 20);
    assert.equal(effectiveInboundTimestamp(undefined, undefined, clock), 1_700_000_000.5);
  });
});

describe('assembleChatContext', () => {
  function batch(sessionId: string, index: number, description: string) {
    return createActionsPayload({
      product_id: 'acme',
      session_id: sessionId,
      user_id: 'u1',
      forwarded_at: 1,
      actions: [{ index, type: 'click', description, canonical_url: `/p/${index}` }],
    });
  }

  test('a user turn: recent activity, the delta since the watermark, history, KB and the first question', async () => {
    const clock = new FakeClock();
    const store = new ContextStore({ clock });
    const watermarks = new MemoryChatWatermarkStore();
    const scope = { productId: 'acme', conversationId: 'c1' };
    await store.add(batch('s1', 0, 'Opened reports'));
    await clock.advance(500);
    await watermarks.setLastInboundAt(scope, effectiveInboundTimestamp(null, null, clock));
    await clock.advance(1_000);
    await store.add(batch('s1', 1, 'Clicked export'));

    const requests: string[] = [];
    const assembly = await assembleChatContext({
      store,
      target: { userId: 'u1' },
      userMessage: 'Why is it empty?',
      history: [{ role: 'assistant', content: 'Welcome!' }, { role: 'User', content: 'How do I export?' }],
      activitySinceCutoff: cutoffForDeltaActivity(await watermarks.getPreviousInboundAt(scope)),
      retrieveKnowledge: async (request) => {
        requests.push(request.activityText);
        return [{ title: 'Exports', content: 'Exports need data.' }];
      },
    });
    assert.equal(
      buildUserPromptBlock(assembly),
      [
        '[ACTIVITY SINCE YOUR LAST CHAT MESSAGE]\nSession s1 (acme):\n1. [1] click: Clicked export — /p/1',
        '[RECENT PRODUCT ACTIVITY]\nSession s1 (acme):\nRecent activity:\n1. [0] click: Opened reports — /p/0\n2. [1] click: Clicked export — /p/1',
        'Prior conversation:\nassistant: Welcome!\nUser: How do I export?',
        'Knowledge base excerpts:\n\n--- Exports ---\nExports need data.',
        '[CURRENT USER MESSAGE]\nWhy is it empty?',
      ].join('\n\n'),
    );
    assert.equal(assembly.firstQuestionText, 'How do I export?');
    assert.deepEqual(requests, [assembly.recentActivity]);
  });

  // docs/decisions/D-50-local-activity-first.md
  test('a session key target reads get() text; external memory adds to it and never replaces it', async () => {
    const store = new ContextStore();
    await store.add(batch('s1', 0, 'Opened reports'));
    const assembly = await assembleChatContext({
      store,
      target: { key: { productId: 'acme', sessionId: 's1' } },
      userMessage: 'Hi',
      activitySinceCutoff: 0,
      externalActivity: async () => 'Earlier: set up billing.',
    });
    assert.equal(assembly.recentActivity, 'Recent activity:\n1. [0] click: Opened reports — /p/0\n\nEarlier: set up billing.');
    assert.equal(assembly.activitySinceLastChatMessage, '1. [0] click: Opened reports — /p/0');
    assert.equal(assembly.firstQuestionText, 'Hi');
  });

  test('no target: no activity, and no delta without a cutoff', async () => {
    const assembly = await assembleChatContext({ store: new ContextStore(), target: null, userMessage: 'Hi' });
    assert.equal(buildUserPromptBlock(assembly), '[CURRENT USER MESSAGE]\nHi');
  });
});
