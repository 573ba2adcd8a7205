#!/usr/bin/env python3
"""Generate src/Mosh.Core/Terminal/CharWidthTable.g.cs, the column-width table behind CharWidth.Of.

The table reproduces the widths that glibc's C.UTF-8 locale gives wcwidth(), because mosh-server measures
characters with the server's wcwidth and our framebuffer must lay out cells the same way. glibc builds its
WIDTH table (localedata/unicode-gen/utf8_gen.py) from the Unicode data files with these rules, which we apply
to Debian's unicode-data package:

  * Code points that are unassigned in the Unicode version glibc was built from, surrogates, C0/C1 controls,
    DEL and the line/paragraph separators are not printable: -1. U+0000 is 0 (wcwidth(L'\\0') == 0).
    Debian 12's unicode-data is Unicode 15.0 while glibc 2.36 is Unicode 14.0, so DerivedAge.txt limits the
    assigned set to --unicode-version (default 14.0); characters new in 15.0 stay -1 as in glibc.
  * East Asian Width W or F: 2.
  * General category Mn, Me or Cf, or bidi class NSM: 0, except Prepended_Concatenation_Mark (PropList.txt)
    and U+00AD SOFT HYPHEN, which stay 1.
  * Hangul Jamo medial vowels and final consonants (U+1160..U+11FF, U+D7B0..U+D7FF): 0.
  * U+3248..U+324F (ambiguous circled numbers) and U+4DC0..U+4DFF (hexagram symbols): 2.
  * Everything else assigned: 1.

Output: a two-level table. Code points are cut into 256-entry blocks; identical blocks are stored once.
Stage 1 maps block number to a stored block; stage 2 holds the blocks, four 2-bit entries per byte
(entry = width + 1, so -1..2 fits in 0..3).

Usage: tools/gen-width-table.py [--unicode-dir /usr/share/unicode] [--unicode-version 14.0] [--output FILE]
"""

import argparse
import os
import re
import sys

MAX_CODE_POINT = 0x10FFFF
BLOCK_SHIFT = 8
BLOCK_SIZE = 1 << BLOCK_SHIFT
ENTRIES_PER_BYTE = 4


def parse_ranges(path, value_pattern):
    """Yield (first, last, value) for each data line of a UCD 'XXXX..YYYY ; value' file matching the pattern."""
    line_re = re.compile(r'^([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s*;\s*(' + value_pattern + r')\s*(?:#.*)?$')
    with open(path, encoding='utf-8') as f:
        for line in f:
            match = line_re.match(line.strip())
            if match:
                first = int(match.group(1), 16)
                last = int(match.group(2), 16) if match.group(2) else first
                yield first, last, match.group(3)


def version_key(text):
    return tuple(int(part) for part in text.split('.'))


def load_unicode_data(path):
    """Return {code point: (general category, bidi class)}, expanding <..., First>/<..., Last> ranges."""
    attributes = {}
    range_start = None
    with open(path, encoding='utf-8') as f:
        for line in f:
            fields = line.rstrip('\n').split(';')
            if len(fields) < 5:
                continue
            code_point = int(fields[0], 16)
            name, category, bidi = fields[1], fields[2], fields[4]
            if name.endswith(', First>'):
                range_start = code_point
                continue
            if name.endswith(', Last>'):
                for cp in range(range_start, code_point + 1):
                    attributes[cp] = (category, bidi)
                range_start = None
                continue
            attributes[code_point] = (category, bidi)
    return attributes


def compute_widths(unicode_dir, unicode_version):
    attributes = load_unicode_data(os.path.join(unicode_dir, 'UnicodeData.txt'))

    # Restrict to the characters glibc knows: those assigned in its Unicode version.
    limit = version_key(unicode_version)
    known = set()
    for first, last, age in parse_ranges(os.path.join(unicode_dir, 'DerivedAge.txt'), r'[0-9.]+'):
        if version_key(age) <= limit:
            known.update(range(first, last + 1))

    widths = [-1] * (MAX_CODE_POINT + 1)
    for cp, (category, _) in attributes.items():
        if cp in known and category not in ('Cc', 'Cs', 'Zl', 'Zp'):
            widths[cp] = 1

    for first, last, _ in parse_ranges(os.path.join(unicode_dir, 'EastAsianWidth.txt'), r'[WF]'):
        for cp in range(first, last + 1):
            if widths[cp] != -1:
                widths[cp] = 2

    for cp, (category, bidi) in attributes.items():
        if widths[cp] != -1 and (category in ('Mn', 'Me', 'Cf') or bidi == 'NSM'):
            widths[cp] = 0

    for first, last, _ in parse_ranges(os.path.join(unicode_dir, 'PropList.txt'), r'Prepended_Concatenation_Mark'):
        for cp in range(first, last + 1):
            if widths[cp] != -1:
                widths[cp] = 1

    special = [(0x00AD, 0x00AD, 1), (0x1160, 0x11FF, 0), (0xD7B0, 0xD7FF, 0),
               (0x3248, 0x324F, 2), (0x4DC0, 0x4DFF, 2)]
    for first, last, width in special:
        for cp in range(first, last + 1):
            if widths[cp] != -1:
                widths[cp] = width

    widths[0] = 0
    return widths


def build_tables(widths):
    stage1 = []
    blocks = []
    block_index = {}
    for start in range(0, MAX_CODE_POINT + 1, BLOCK_SIZE):
        packed = bytearray(BLOCK_SIZE // ENTRIES_PER_BYTE)
        for offset in range(BLOCK_SIZE):
            entry = widths[start + offset] + 1
            packed[offset // ENTRIES_PER_BYTE] |= entry << ((offset % ENTRIES_PER_BYTE) * 2)
        key = bytes(packed)
        if key not in block_index:
            block_index[key] = len(blocks)
            blocks.append(key)
        stage1.append(block_index[key])
    if len(blocks) > 256:
        sys.exit('more than 256 distinct blocks; stage 1 no longer fits in bytes')
    return stage1, b''.join(blocks)


def format_bytes(data, indent):
    lines = []
    for i in range(0, len(data), 24):
        lines.append(indent + ', '.join('0x%02X' % b for b in data[i:i + 24]) + ',')
    return '\n'.join(lines)


def render(stage1, stage2, unicode_version, source_version):
    return f'''// <auto-generated>
// Generated by tools/gen-width-table.py from the Unicode {source_version} data files, limited to characters
// assigned in Unicode {unicode_version} (the version glibc 2.36 was built from). Do not edit; re-run the script.
// </auto-generated>

namespace Mosh.Terminal;

internal static partial class CharWidth
{{
    private const int BlockShift = {BLOCK_SHIFT};
    private const int BlockMask = {BLOCK_SIZE - 1};
    private const int BlockBytesShift = {BLOCK_SHIFT - 2};

    /// <summary>Block number (code point &gt;&gt; {BLOCK_SHIFT}) to stored block; {len(stage1)} entries.</summary>
    private static ReadOnlySpan<byte> Stage1 =>
    [
{format_bytes(stage1, '        ')}
    ];

    /// <summary>{len(stage2) // (BLOCK_SIZE // ENTRIES_PER_BYTE)} distinct blocks, four 2-bit entries (width + 1) per byte.</summary>
    private static ReadOnlySpan<byte> Stage2 =>
    [
{format_bytes(stage2, '        ')}
    ];
}}
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--unicode-dir', default='/usr/share/unicode')
    parser.add_argument('--unicode-version', default='14.0')
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument('--output', default=os.path.join(here, '..', 'src', 'Mosh.Core', 'Terminal',
                                                         'CharWidthTable.g.cs'))
    parser.add_argument('--dump', help='also write one width per line (code point order) to this file')
    args = parser.parse_args()

    with open(os.path.join(args.unicode_dir, 'ReadMe.txt'), encoding='utf-8') as f:
        readme = f.read()
    match = re.search(r'Version (\d+\.\d+\.\d+)', readme) or re.search(r'/Public/(\d+\.\d+\.\d+)/', readme)
    source_version = match.group(1) if match else 'unknown'

    widths = compute_widths(args.unicode_dir, args.unicode_version)
    if args.dump:
        with open(args.dump, 'w', encoding='ascii') as f:
            f.write(''.join('%d\n' % w for w in widths))
    stage1, stage2 = build_tables(widths)
    with open(args.output, 'w', encoding='utf-8', newline='\n') as f:
        f.write(render(stage1, stage2, args.unicode_version, source_version))


if __name__ == '__main__':
    main()
