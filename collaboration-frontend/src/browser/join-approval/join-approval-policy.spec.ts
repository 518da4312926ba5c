import * as assert from 'node:assert/strict';
import { decideJoinRequest } from './join-approval-policy';

describe('join approval policy', () => {
    it('asks the host by default', () => {
        assert.deepEqual(decideJoinRequest('Bob', { autoAccept: 'off', allowList: [] }), { kind: 'ask' });
    });

    it('accepts with the auto-accept permission', () => {
        assert.deepEqual(decideJoinRequest('Bob', { autoAccept: 'read-only', allowList: [] }), { kind: 'accept', role: 'read-only', because: 'auto-accept' });
        assert.deepEqual(decideJoinRequest('Bob', { autoAccept: 'read-write', allowList: [] }), { kind: 'accept', role: 'read-write', because: 'auto-accept' });
    });

    it('accepts allow-listed names read-write, trimmed and case-insensitively, even when auto-accept is read-only', () => {
        const settings = { autoAccept: 'read-only' as const, allowList: ['  Ada Lovelace ', 'bob'] };
        assert.deepEqual(decideJoinRequest('ada lovelace', settings), { kind: 'accept', role: 'read-write', because: 'allow-list' });
        assert.deepEqual(decideJoinRequest('BOB ', settings), { kind: 'accept', role: 'read-write', because: 'allow-list' });
        assert.deepEqual(decideJoinRequest('Bobby', settings), { kind: 'accept', role: 'read-only', because: 'auto-accept' });
        assert.deepEqual(decideJoinRequest('Bobby', { autoAccept: 'off', allowList: ['bob'] }), { kind: 'ask' });
    });

    it('never matches an empty name against an empty allow-list entry', () => {
        assert.deepEqual(decideJoinRequest('  ', { autoAccept: 'off', allowList: [''] }), { kind: 'ask' });
    });
});
