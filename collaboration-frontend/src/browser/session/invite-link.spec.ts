import * as assert from 'node:assert/strict';
import { formatInviteLink, InviteParseError, normalizeServerUrl, parseInvite } from './invite-link';

describe('invite links', () => {
    const code = 'ABCD-EFGH-JKLM';

    it('formats <serverUrl>/invite/<code>', () => {
        assert.equal(formatInviteLink('http://127.0.0.1:8100', code), 'http://127.0.0.1:8100/invite/ABCD-EFGH-JKLM');
    });

    it('never produces a double slash, whatever trailing slashes the server URL has', () => {
        for (const serverUrl of ['https://collab.example.org/', 'https://collab.example.org///', 'https://example.org/ensemble/', 'https://example.org/ensemble//']) {
            const link = formatInviteLink(serverUrl, code);
            assert.doesNotMatch(link.replace(/^https?:\/\//, ''), /\/\//, link);
        }
        assert.equal(formatInviteLink('https://example.org/ensemble/', code), 'https://example.org/ensemble/invite/ABCD-EFGH-JKLM');
    });

    it('round-trips: parse(format(url, code)) gives the normalized URL and the code', () => {
        const servers = ['http://127.0.0.1:8100', 'http://localhost:3000/', 'https://collab.example.org', 'https://example.org/a/b/', 'http://[::1]:9000'];
        for (const serverUrl of servers) {
            for (const c of [code, 'abcd-efgh-jklm', 'X1Y2']) {
                assert.deepEqual(parseInvite(formatInviteLink(serverUrl, c)), { code: c, serverUrl: normalizeServerUrl(serverUrl) });
            }
        }
    });

    it('reads a bare code as a code for the configured server', () => {
        assert.deepEqual(parseInvite(code), { code });
        assert.deepEqual(parseInvite(`  ${code.toLowerCase()}\n`), { code: code.toLowerCase() });
    });

    it('tolerates what chat apps add around a pasted link', () => {
        const expected = { code, serverUrl: 'https://collab.example.org' };
        assert.deepEqual(parseInvite('<https://collab.example.org/invite/ABCD-EFGH-JKLM>'), expected);
        assert.deepEqual(parseInvite('"https://collab.example.org/invite/ABCD-EFGH-JKLM/"'), expected);
        assert.deepEqual(parseInvite('https://collab.example.org/invite/ABCD-EFGH-JKLM?utm=x#y'), expected);
    });

    it('rejects junk with a message that shows what a valid invite looks like', () => {
        const cases: Array<[string, RegExp]> = [
            ['', /Paste an invite link/],
            ['   ', /Paste an invite link/],
            ['hello world', /neither an invite link .* nor|neither an invite link/],
            ['ab', /neither/],
            ['ABCD--EFGH', /neither/],
            ['ftp://example.org/invite/ABCD-EFGH-JKLM', /only http and https/],
            ['https://example.org/rooms/ABCD-EFGH-JKLM', /not an invite link: it should end in \/invite\/<code>/],
            ['https://example.org/invite/', /not an invite link/],
            ['https://example.org/invite/$$$$', /not an invite link/],
            ['example.org/invite/ABCD-EFGH-JKLM', /without http:\/\/ or https:\/\//],
            ['http://', /not a valid invite link/]
        ];
        for (const [input, message] of cases) {
            assert.throws(() => parseInvite(input), (error: unknown) => error instanceof InviteParseError && message.test(error.message), `input: ${JSON.stringify(input)}`);
        }
    });

    it('refuses to format a link from a bad server URL or code', () => {
        assert.throws(() => formatInviteLink('not a url', code), InviteParseError);
        assert.throws(() => formatInviteLink('ws://example.org', code), /only http and https/);
        assert.throws(() => formatInviteLink('http://example.org', 'no/slashes'), InviteParseError);
    });
});
