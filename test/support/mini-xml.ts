/**
 * A small, strict XML parser for tests: elements, attributes, text, the five predefined entities
 * and numeric references, `<?xml?>` declarations. No DTDs, CDATA or comments (our output has none):
 * meeting one is an error, so a test never passes on input it did not really read.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  if (/&(?!(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);)/.test(s)) throw new Error(`bare '&' near ${at}`);
  return s.replace(/&([^;]*);/g, (_m, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    const v = ENTITIES[name];
    if (v === undefined) throw new Error(`unknown entity &${name}; near ${at}`);
    return v;
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const NAME = /[A-Za-z_][\w.-]*/y;
  const ws = (): void => {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(xml);
    if (m === null) throw new Error(`name expected at ${i}`);
    i += m[0].length;
    return m[0];
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated declaration');
    i = end + 2;
  }
  ws();
  const element = (): XmlElement => {
    if (xml[i] !== '<') throw new Error(`'<' expected at ${i}`);
    i++;
    const el: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    const attrs = el.attributes as Record<string, string>;
    for (;;) {
      ws();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      const key = name();
      ws();
      if (xml[i] !== '=') throw new Error(`'=' expected at ${i}`);
      i++;
      ws();
      const q = xml[i];
      if (q !== '"' && q !== "'") throw new Error(`quote expected at ${i}`);
      const end = xml.indexOf(q, i + 1);
      if (end < 0) throw new Error('unterminated attribute');
      const raw = xml.slice(i + 1, end);
      if (raw.includes('<')) throw new Error(`'<' in attribute at ${i}`);
      if (Object.hasOwn(attrs, key)) throw new Error(`duplicate attribute ${key}`);
      attrs[key] = decode(raw, i);
      i = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) throw new Error(`unclosed <${el.name}>`);
      el.text += decode(xml.slice(i, lt), i);
      i = lt;
      if (xml.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) throw new Error(`</${closing}> closes <${el.name}>`);
        ws();
        if (xml[i] !== '>') throw new Error(`'>' expected at ${i}`);
        i++;
        return el;
      }
      if (xml.startsWith('<!', i) || xml.startsWith('<?', i)) throw new Error(`unsupported markup at ${i}`);
      el.children.push(element());
    }
  };
  const root = element();
  ws();
  if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

export function descendants(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}
