import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { displayUrl } from './display-url.ts';

describe('displayUrl', () => {
  test('drops the user name and password', () => {
    assert.equal(displayUrl('https://admin:hunter2@llm.example.com/v1'), 'https://llm.example.com/v1');
    assert.equal(displayUrl(new URL('redis://:secret@cache:6379/0')), 'redis://cache:6379/0');
  });

  test('drops the query and the fragment, which may carry a credential', () => {
    assert.equal(displayUrl('http://127.0.0.1:4000/stream/acme?token=abc#k=1'), 'http://127.0.0.1:4000/stream/acme');
  });

  test('shows a bare origin without its trailing slash, and keeps a path as it is', () => {
    assert.equal(displayUrl('http://localhost:11434/'), 'http://localhost:11434');
    assert.equal(displayUrl('http://rasa:5055/webhook/'), 'http://rasa:5055/webhook/');
  });

  test('gives back text that is not a URL as it is', () => {
    assert.equal(displayUrl('not a url'), 'not a url');
  });
});
