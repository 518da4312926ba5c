import * as assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { validateEnvelope, requestIdOf } from './envelope-validator';
import { canonicalJson } from './json-schema';
import { defineRequest, isReservedMethod, isValidMethodName } from './message-definitions';
import { describeProtocolMismatch, isSupportedProtocolVersion, PROTOCOL_VERSION } from './protocol-version';
import { SchemaCompiler } from './schema-validator';

describe('protocol: envelope validation', () => {
    const valid = { kind: 'broadcast', method: 'editor/op', target: { type: 'all' }, params: { x: 1 } };

    it('accepts well-formed envelopes of every kind', () => {
        for (const envelope of [
            valid,
            { kind: 'request', method: 'editor/op', id: 1, target: { type: 'host' }, params: {} },
            { kind: 'response', method: 'editor/op', id: 1, target: { type: 'peer', peer: 'abc' }, error: { code: 'x', message: 'y' } },
            { kind: 'notification', method: 'editor/op', target: { type: 'peer', peer: 'abc' } },
            { kind: 'broadcast', method: 'editor/op', target: { type: 'topic', topic: 'file:///a.ts' } }
        ]) {
            assert.deepEqual(validateEnvelope(envelope), { valid: true, envelope });
        }
    });

    it('names what is wrong with a bad envelope', () => {
        const problem = (candidate: unknown): string => {
            const check = validateEnvelope(candidate);
            assert.equal(check.valid, false);
            return (check as { problem: string }).problem;
        };
        assert.match(problem(null), /envelope must be object/);
        assert.match(problem({ ...valid, kind: 'shout' }), /envelope\/kind/);
        assert.match(problem({ ...valid, method: 'no-namespace' }), /envelope\/method must match pattern/);
        assert.match(problem({ ...valid, extra: 1 }), /must NOT have additional properties/);
        assert.match(problem({ ...valid, target: { type: 'peer' } }), /envelope\/target/);
        assert.equal(problem({ kind: 'request', method: 'a/b', target: { type: 'host' } }), 'a request needs an id');
        assert.match(problem({ kind: 'broadcast', method: 'a/b', target: { type: 'host' } }), /a broadcast goes to "all" or a topic/);
        assert.match(problem({ kind: 'response', method: 'a/b', id: 1, target: { type: 'peer', peer: 'p' }, params: 1, error: { code: 'c', message: 'm' } }), /either params or an error/);
    });

    it('finds the id of a rejected request so its sender is not left waiting', () => {
        assert.equal(requestIdOf({ kind: 'request', id: 5 }), 5);
        assert.equal(requestIdOf({ kind: 'broadcast', id: 5 }), undefined);
        assert.equal(requestIdOf({ kind: 'request', id: -1 }), undefined);
        assert.equal(requestIdOf('junk'), undefined);
    });
});

describe('protocol: message definitions, schemas, versions', () => {
    it('keeps the schemas on the definition and validates against them', () => {
        const Op = defineRequest('editor/op', Type.Object({ revision: Type.Integer() }), Type.Object({ ok: Type.Boolean() }));
        const compiler = new SchemaCompiler();
        assert.equal(compiler.compile(Op.params)({ revision: 3 }), undefined);
        assert.equal(compiler.compile(Op.params)({ revision: 'x' }), 'params/revision must be integer');
        assert.equal(compiler.compile(Op.result, 'result')({}), "result must have required property 'ok'");
        assert.throws(() => compiler.compile({ type: 'no-such-type' }), /invalid JSON schema/);
    });

    it('checks method names and reserved namespaces', () => {
        assert.ok(isValidMethodName('editor/op'));
        assert.ok(isValidMethodName('terminal/input.v2'));
        assert.ok(!isValidMethodName('op'));
        assert.ok(!isValidMethodName('a//b'));
        assert.ok(isReservedMethod('room/end'));
        assert.ok(!isReservedMethod('editor/op'));
    });

    it('compares schemas regardless of key order', () => {
        assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } }), canonicalJson({ a: { c: 3, d: [2, { y: 2, z: 1 }] }, b: 1 }));
    });

    it('says which side to update on a version mismatch', () => {
        assert.ok(isSupportedProtocolVersion(PROTOCOL_VERSION));
        assert.ok(!isSupportedProtocolVersion(PROTOCOL_VERSION + 1));
        assert.match(describeProtocolMismatch(1, 2), /speaks Ensemble protocol 1, this client speaks protocol 2: update the coordination server/);
        assert.match(describeProtocolMismatch(2, 1), /update Ensemble in your IDE/);
    });
});
