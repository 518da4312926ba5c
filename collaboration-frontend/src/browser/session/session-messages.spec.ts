import * as assert from 'node:assert/strict';
import { ConnectionRefusedError, JoinDeniedError, ProtocolMismatchError, SessionError } from '@ensemble/collaboration-common';
import { describeClosed, describeFailure, describeHostAway, escapeMarkdown } from './session-messages';

describe('session messages', () => {
    const join = { action: 'join', serverUrl: 'https://collab.example.org' } as const;

    it('explains a version mismatch with what to update', () => {
        const end = describeFailure(new ProtocolMismatchError('The server speaks Ensemble protocol 2, this client speaks protocol 1: update Ensemble in your IDE.', 2, 1), join);
        assert.equal(end.reason, 'protocol-mismatch');
        assert.match(end.message, /^Could not join the session: Ensemble versions do not match\. .*update Ensemble in your IDE\.$/);
    });

    it('explains an unreachable server, naming it and the settings to check', () => {
        const end = describeFailure(new SessionError('server-unreachable', 'x'), { action: 'start', serverUrl: 'http://127.0.0.1:9' });
        assert.equal(end.reason, 'server-unreachable');
        assert.equal(end.message, 'Could not start the session: the collaboration server at http://127.0.0.1:9 cannot be reached. Check that it runs and that '
            + 'the preference collaboration.serverUrl points to it (leave it empty to use the server built into this application), then try again.');
        // Without a URL (the embedded server did not start) its own explanation is passed on.
        const embedded = describeFailure(new SessionError('server-unreachable', 'The embedded collaboration server could not start on 127.0.0.1:1 (EACCES). Free the port.'), { action: 'start' });
        assert.match(embedded.message, /^Could not start the session: The embedded collaboration server could not start/);
    });

    it('explains denials, expiry and full rooms', () => {
        assert.match(describeFailure(new JoinDeniedError('denied', 'The host declined your request to join.'), join).message,
            /^The host declined your request to join\. Ask the host/);
        assert.match(describeFailure(new JoinDeniedError('denied', 'not today'), join).message, /declined your request to join: "not today"\./);
        assert.match(describeFailure(new JoinDeniedError('expired', 'x'), join).message, /did not answer your request to join in time/);
        assert.equal(describeFailure(new JoinDeniedError('room-full', 'x'), join).reason, 'denied');
        assert.equal(describeFailure(new JoinDeniedError('cancelled', 'x'), join).reason, 'join-cancelled');
        assert.equal(describeFailure(new ConnectionRefusedError('room-not-found', 'No room'), join).reason, 'room-not-found');
    });

    it('explains every way a running session ends, for host and guest', () => {
        assert.match(describeClosed({ reason: 'ended-by-host', message: 'The host ended the room.' }, false).message, /^The host ended the session\. Ask the host for a new invite/);
        assert.match(describeClosed({ reason: 'ended-by-host', message: 'lunch' }, false).message, /^The host ended the session: "lunch"\./);
        assert.equal(describeClosed({ reason: 'ended-by-host', message: '' }, true).reason, 'ended');
        assert.match(describeClosed({ reason: 'host-timeout', message: '' }, false).message, /did not come back in time/);
        assert.match(describeClosed({ reason: 'removed', message: 'The host removed you from the room.' }, false).message, /^The host removed you from the session\. Ask/);
        assert.match(describeClosed({ reason: 'server-shutdown', message: '' }, false).message, /server shut down/);
        assert.equal(describeClosed({ reason: 'closed-by-client', message: '' }, false).reason, 'left');
    });

    it('counts down while the host is away', () => {
        assert.match(describeHostAway(42), /waits 42 s for the host to come back/);
        assert.match(describeHostAway(undefined), /waits for the host to come back/);
    });

    it('escapes markdown in names and reasons that come from other peers', () => {
        assert.equal(escapeMarkdown('[update](https://evil.example)'), '\\[update\\]\\(https://evil\\.example\\)');
        assert.equal(escapeMarkdown('Ada Lovelace'), 'Ada Lovelace');
        assert.match(describeClosed({ reason: 'removed', message: '**bold** move' }, false).message, /"\\\*\\\*bold\\\*\\\* move"/);
    });
});
