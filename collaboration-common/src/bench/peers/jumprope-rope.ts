import JumpRope = require('jumprope');
import { makeType, Rope } from 'ot-text-unicode';
import { OtTextUnicodeType } from './ot-text-unicode';

/** UTF-16 code units that `count` code points starting at UTF-16 offset `at` of `rope` take. */
function unitsOf(rope: JumpRope, at: number, count: number): number {
    const text = rope.substring(at, Math.min(2 * count, rope.length - at));
    let units = 0;
    for (let n = 0; n < count; n++) {
        const c = text.charCodeAt(units);
        units += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    }
    return units;
}

/**
 * jumprope as the rope of ot-text-unicode's `makeType`, as its README shows.
 * The type counts code points and jumprope UTF-16 code units: for a document
 * known to hold only BMP characters (`bmpOnly`) they are equal and the
 * builder moves by the counts as given; otherwise it converts by reading the
 * rope, as it must.
 */
export function jumpropeForOtTextUnicode(bmpOnly: boolean): Rope<JumpRope> {
    const units = bmpOnly ? (_rope: JumpRope, _at: number, count: number) => count : unitsOf;
    return {
        create: text => new JumpRope(text),
        toString: rope => rope.toString(),
        builder(rope) {
            let at = 0;
            return {
                skip(n) { at += units(rope, at, n); },
                append(s) { rope.insert(at, s); at += s.length; },
                del(n) { rope.del(at, units(rope, at, n)); },
                build: () => rope,
            };
        },
        slice(rope, start, end = Infinity) {
            const from = units(rope, 0, start);
            const to = end === Infinity ? rope.length : from + units(rope, from, end - start);
            return rope.substring(from, to - from);
        },
    };
}

/** ot-text-unicode's type over jumprope, for a document that is BMP-only or not. */
export function otTextUnicodeOverJumprope(bmpOnly: boolean): OtTextUnicodeType<JumpRope> {
    const rope = jumpropeForOtTextUnicode(bmpOnly);
    return { type: makeType(rope), create: rope.create, toString: rope.toString };
}
