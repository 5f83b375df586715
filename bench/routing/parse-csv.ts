/**
 * CSV as RFC 4180 writes it (what Python's `csv` and pandas produce): comma-separated fields,
 * fields in double quotes may hold commas, newlines and doubled quotes (`""`). Rows end with LF
 * or CRLF. Returns the rows as arrays of field texts.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
  };
  while (index < text.length) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else field += character;
      index++;
      continue;
    }
    if (character === '"' && field === '') quoted = true;
    else if (character === ',') endField();
    else if (character === '\n') endRow();
    else if (character === '\r' && text[index + 1] === '\n') {
      endRow();
      index++;
    } else field += character;
    index++;
  }
  if (quoted) throw new Error('CSV: a quoted field is not closed before the end of the file');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Rows as records keyed by the header row's names; every row must have the header's width. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) return [];
  return rows.map((row, index) => {
    if (row.length !== header.length)
      throw new Error(
        `CSV: row ${index + 2} has ${row.length} fields, the header has ${header.length}`,
      );
    const record: Record<string, string> = {};
    header.forEach((name, column) => {
      record[name] = row[column]!;
    });
    return record;
  });
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

/**
 * A Python list of string literals as `repr(list)` prints it (`['a', "b's"]`): single or double
 * quoted, with backslash escapes (`\n`, `\'`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`). Returns the strings.
 */
export function parsePythonStringList(text: string): string[] {
  const source = text.trim();
  if (!source.startsWith('[') || !source.endsWith(']'))
    throw new Error(`not a Python list: ${source.slice(0, 40)}`);
  const items: string[] = [];
  let index = 1;
  const skipSpace = (): void => {
    while (index < source.length && /\s/.test(source[index]!)) index++;
  };
  skipSpace();
  while (source[index] !== ']') {
    const quote = source[index];
    if (quote !== "'" && quote !== '"')
      throw new Error(`Python list: expected a string literal at ${index}`);
    index++;
    let value = '';
    for (;;) {
      const character = source[index];
      if (character === undefined) throw new Error('Python list: unterminated string');
      if (character === quote) break;
      if (character === '\\') {
        const next = source[index + 1] ?? '';
        const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
        if (width > 0) {
          const hex = source.slice(index + 2, index + 2 + width);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width)
            throw new Error(`Python list: bad \\${next} escape`);
          value += String.fromCodePoint(Number.parseInt(hex, 16));
          index += 2 + width;
          continue;
        }
        const escaped = ESCAPES[next];
        value += escaped ?? `\\${next}`;
        index += 2;
        continue;
      }
      value += character;
      index++;
    }
    items.push(value);
    index++;
    skipSpace();
    if (source[index] === ',') {
      index++;
      skipSpace();
    } else if (source[index] !== ']')
      throw new Error(`Python list: expected "," or "]" at ${index}`);
  }
  if (index !== source.length - 1) throw new Error('Python list: text after the closing bracket');
  return items;
}
