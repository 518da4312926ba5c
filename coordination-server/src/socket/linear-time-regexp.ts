import type { RegExpEngine, RegExpLike } from 'ajv/dist/types';
import { RE2JS } from 're2js';

/**
 * ajv's engine for the `pattern`s of schemas that peers declare: RE2 semantics
 * (re2js), whose matching time grows linearly with the input. JavaScript's
 * backtracking RegExp can take exponential time on a crafted pattern such as
 * `^(a+)+$`, and one such message would stall every room of the process.
 * RE2 has no lookaround and no backreferences; a declaration that uses them
 * is refused with a message that says so.
 */
export const linearTimeRegExp: RegExpEngine = Object.assign(
    (pattern: string, _flags: string): RegExpLike => {
        let compiled: RE2JS;
        try {
            compiled = RE2JS.compile(pattern);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new Error(`the pattern /${pattern}/ cannot be used: the server accepts only regular expressions it can match in linear time (no lookaround, no backreferences): ${reason}`);
        }
        const matcher: RegExpLike = { test: (text: string) => compiled.matcher(text).find() };
        // ajv keys compiled patterns by their string form.
        matcher.toString = () => `re2:${pattern}`;
        return matcher;
    },
    // Only used by ajv's standalone code generation, which the server does not use.
    { code: 'require("re2js").RE2JS.compile' }
);
