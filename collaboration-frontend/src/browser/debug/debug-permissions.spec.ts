import * as assert from 'node:assert/strict';
import { checkDebugCommand, CONTROL_COMMANDS, INSPECT_COMMANDS } from './debug-permissions';

describe('debugging for guests: which DAP requests a guest may send to the host\'s session', () => {
    it('lets every guest look (threads, stack, variables, sources)', () => {
        for (const command of ['threads', 'stackTrace', 'scopes', 'variables', 'source', 'loadedSources']) {
            assert.deepEqual(checkDebugCommand('read-only', command), { allowed: true }, command);
            assert.deepEqual(checkDebugCommand('read-write', command), { allowed: true }, command);
        }
    });

    it('lets only guests with write permission continue, step, pause, evaluate or change values, and says how to get it', () => {
        for (const command of ['continue', 'next', 'stepIn', 'stepOut', 'pause', 'evaluate', 'setVariable', 'setExpression']) {
            assert.deepEqual(checkDebugCommand('read-write', command), { allowed: true }, command);
            const refused = checkDebugCommand('read-only', command);
            assert.equal(refused.allowed, false, command);
            assert.match(refused.allowed ? '' : refused.message, /You are read-only in this session: '\w+' in the host's debug session needs write permission\. Ask the host to let you edit\./);
        }
    });

    it('keeps the session\'s life with the host, refuses unknown commands and unknown peers', () => {
        for (const command of ['initialize', 'launch', 'attach', 'disconnect', 'terminate', 'restart', 'setBreakpoints', 'runInTerminal', 'someCustomRequest']) {
            const refused = checkDebugCommand('read-write', command);
            assert.equal(refused.allowed, false, command);
            assert.match(refused.allowed ? '' : refused.message, /not available to guests/);
        }
        const stranger = checkDebugCommand(undefined, 'threads');
        assert.equal(stranger.allowed, false);
        assert.match(stranger.allowed ? '' : stranger.message, /rejoin the session/);
    });

    it('classifies no command twice', () => {
        assert.deepEqual([...INSPECT_COMMANDS].filter(command => CONTROL_COMMANDS.has(command)), []);
    });
});
