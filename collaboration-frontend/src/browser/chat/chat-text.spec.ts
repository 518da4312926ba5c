import * as assert from 'node:assert/strict';
import { MAX_CHAT_MESSAGE_LENGTH } from './chat-messages';
import { chatTextProblem, mentions, parseChatText, type ChatTextPart } from './chat-text';

function links(text: string): Array<{ text: string; path: string; line: number; column?: number }> {
    return parseChatText(text)
        .filter((part): part is Extract<ChatTextPart, { kind: 'file' }> => part.kind === 'file')
        .map(part => ({ text: part.text, ...part.reference }));
}

describe('chat text: limits and file references', () => {
    it('refuses empty and too long messages with a message that says what to do', () => {
        assert.match(chatTextProblem('  \n ')!, /empty/);
        assert.equal(chatTextProblem('x'.repeat(MAX_CHAT_MESSAGE_LENGTH)), undefined);
        assert.match(chatTextProblem('x'.repeat(MAX_CHAT_MESSAGE_LENGTH + 1))!, /4,001 characters; the limit is 4,000\. Shorten it/);
    });

    it('finds path:line and path:line:column references', () => {
        assert.deepEqual(links('see src/app.ts:12 and README.md:3:5, then ./lib/x.js:7.'), [
            { text: 'src/app.ts:12', path: 'src/app.ts', line: 12 },
            { text: 'README.md:3:5', path: 'README.md', line: 3, column: 5 },
            { text: './lib/x.js:7', path: 'lib/x.js', line: 7 }
        ]);
        assert.deepEqual(links('(src/Makefile:4)'), [{ text: 'src/Makefile:4', path: 'src/Makefile', line: 4 }]);
    });

    it('leaves times, URLs, ports and parent paths as text', () => {
        assert.deepEqual(links('at 10:30 on http://example.com:8080/a.ts:3 or localhost:3000, ../secret.txt:1 a.ts:0 x.:1'), []);
    });

    it('keeps every character of the text, markup included, as text parts', () => {
        const text = '<img src=x onerror=alert(1)> in a.ts:2 & <b>';
        const parts = parseChatText(text);
        assert.equal(parts.map(part => part.text).join(''), text);
        assert.deepEqual(parts.map(part => part.kind), ['text', 'file', 'text']);
    });

    it('finds @name mentions, in any case, with spaces in names, but not inside longer words or addresses', () => {
        assert.equal(mentions('@gus can you look?', 'Gus'), true);
        assert.equal(mentions('thanks, @Ana Lima!', 'Ana Lima'), true);
        assert.equal(mentions('@Anabel, not you', 'Ana'), false);
        assert.equal(mentions('mail ana@gus.org', 'gus'), false);
        assert.equal(mentions('Gus without the at', 'Gus'), false);
    });
});
