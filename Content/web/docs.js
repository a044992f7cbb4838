// Basar's API reference: renders /openapi.json (Content/openapi.json) into docs.html, grouped by tag. DOM calls
// only — no third-party script, no HTML parsed from strings, no inline style — so the page's strict CSP holds. The page chrome is
// German or English, following navigator.language; the document's own texts are English.

const german = (navigator.languages?.[0] ?? navigator.language ?? 'en').toLowerCase().startsWith('de');

const texts = {
  en: {
    title: 'API reference', operations: 'Operations', filter: 'Filter', skip: 'Skip to content', loading: 'Loading…',
    failed: 'The OpenAPI document could not be loaded', parameters: 'Parameters', body: 'Request body',
    responses: 'Responses', example: 'Example', required: 'required', optional: 'optional', schemas: 'Schemas',
    public: 'Public', token: 'Bearer token', headers: 'Headers', schema: 'Schema', noMatch: 'No operation matches.',
    oneOf: 'Needs at least one of', strict: 'Other fields are rejected with 400 invalid_request.',
    empty: 'No fields: send no body or {}.', chars: 'characters', entries: 'entries', pattern: 'pattern',
    defaultValue: 'default', min: 'at least', max: 'at most', version: 'Version', inPath: 'path', inQuery: 'query',
    inHeader: 'header', anyObject: 'Any JSON object.', needs: 'needs',
  },
  de: {
    title: 'API-Referenz', operations: 'Operationen', filter: 'Filtern', skip: 'Zum Inhalt', loading: 'Lädt…',
    failed: 'Das OpenAPI-Dokument konnte nicht geladen werden', parameters: 'Parameter', body: 'Anfrage-Body',
    responses: 'Antworten', example: 'Beispiel', required: 'Pflicht', optional: 'optional', schemas: 'Schemata',
    public: 'Öffentlich', token: 'Bearer-Token', headers: 'Header', schema: 'Schema',
    noMatch: 'Keine Operation passt.', oneOf: 'Braucht mindestens eines von',
    strict: 'Andere Felder werden mit 400 invalid_request abgelehnt.', empty: 'Keine Felder: kein Body oder {}.',
    chars: 'Zeichen', entries: 'Einträge', pattern: 'Muster', defaultValue: 'Standard', min: 'mindestens',
    max: 'höchstens', version: 'Version', inPath: 'Pfad', inQuery: 'Query', inHeader: 'Header',
    anyObject: 'Ein beliebiges JSON-Objekt.', needs: 'braucht',
  },
};
const t = (key) => (german ? texts.de : texts.en)[key] ?? texts.en[key];

/** Makes an element; `attributes` are set as attributes (`class` included), children may be strings or nodes. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** `code` spans and **bold** of the document's Markdown-like texts, as nodes. */
function inline(text) {
  return String(text).split(/(`[^`]+`|\*\*[^*]+\*\*)/).filter(Boolean).map((part) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1) return el('code', {}, part.slice(1, -1));
    if (part.startsWith('**') && part.endsWith('**') && part.length > 3) return el('strong', {}, part.slice(2, -2));
    return part;
  });
}

// The document's texts are English whatever the chrome's language, so they hyphenate by English rules.
const paragraphs = (text, className) =>
  text ? String(text).split(/\n{2,}/).map((block) => el('p', { class: className, lang: 'en' }, inline(block))) : [];

let doc = {};

function resolve(object) {
  let current = object;
  for (let hops = 0; current && current.$ref && hops < 10; hops += 1) {
    current = current.$ref.replace(/^#\//, '').split('/').reduce((node, key) => node?.[key], doc);
  }
  return current ?? {};
}

const refName = (ref) => ref.split('/').pop();
/** A path that may wrap after each slash on a narrow screen, never inside a segment. */
const pathNodes = (path) => path.split('/').map((segment, index) => (index ? [el('wbr'), '/', segment] : segment));
const schemaLink = (ref) => el('a', { href: `#schema-${refName(ref)}`, class: 'ref' }, refName(ref));

/** A short type such as `string (date-time)`, `array of Product`, `"percent" | "fixed"`, `integer | null`. */
function typeLabel(schema) {
  if (!schema || typeof schema !== 'object') return [];
  if (schema.$ref) return [schemaLink(schema.$ref)];
  if ('const' in schema) return [JSON.stringify(schema.const)];
  if (schema.enum) return [schema.enum.map((value) => JSON.stringify(value)).join(' | ')];
  const options = schema.anyOf ?? schema.oneOf;
  if (options && !schema.type && !schema.properties) {
    return options.flatMap((option, index) => (index ? [' | ', ...typeLabel(option)] : typeLabel(option)));
  }
  const types = [schema.type ?? (schema.properties ? 'object' : '')].flat().filter(Boolean);
  if (types.includes('array')) return ['array of ', ...typeLabel(schema.items ?? {})];
  const format = schema.format ? ` (${schema.format})` : '';
  return [types.join(' | ') + format];
}

/** The value limits of a schema as one readable line. */
function limits(schema) {
  const out = [];
  const range = (low, high, unit) => {
    if (low !== undefined && high !== undefined) out.push(`${low}–${high}${unit}`);
    else if (low !== undefined) out.push(`${t('min')} ${low}${unit}`);
    else if (high !== undefined) out.push(`${t('max')} ${high}${unit}`);
  };
  range(schema.minLength, schema.maxLength, ` ${t('chars')}`);
  range(schema.minimum, schema.maximum, '');
  range(schema.minItems, schema.maxItems, ` ${t('entries')}`);
  if (schema.pattern) out.push(`${t('pattern')} ${schema.pattern}`);
  if (schema.default !== undefined) out.push(`${t('defaultValue')} ${JSON.stringify(schema.default)}`);
  return out.join(' · ');
}

/** The properties of an object schema, required ones marked; inline nested objects are listed inside. */
function fields(schema, depth = 0) {
  const object = resolve(schema);
  const properties = Object.entries(object.properties ?? {});
  const notes = [];
  const alternatives = (object.anyOf ?? []).map((option) => option.required ?? []).filter((names) => names.length);
  if (alternatives.length) notes.push(el('p', { class: 'note' }, `${t('oneOf')}: `, alternatives.flat().map((name, i) => [i ? ', ' : '', el('code', {}, name)])));
  for (const [name, needed] of Object.entries(object.dependentRequired ?? {})) {
    notes.push(el('p', { class: 'note' }, el('code', {}, name), ` ${t('needs')} `, needed.map((other, i) => [i ? ', ' : '', el('code', {}, other)])));
  }
  if (object.maxProperties === 0) notes.push(el('p', { class: 'note' }, t('empty')));
  else if (!properties.length && object.type === 'object') notes.push(el('p', { class: 'note' }, t('anyObject')));
  if (!properties.length) return notes;
  const required = new Set(object.required ?? []);
  const list = el('ul', { class: 'fields' }, properties.map(([name, property]) => {
    const nested = property.$ref ? null : (property.type === 'array' ? property.items : property);
    const limitText = limits(property);
    return el('li', {},
      el('div', { class: 'field-head' },
        el('code', { class: 'name' }, name), ' ', el('span', { class: 'type' }, typeLabel(property)), ' ',
        required.has(name) ? el('span', { class: 'badge required' }, t('required')) : el('span', { class: 'badge' }, t('optional'))),
      paragraphs(property.description, 'desc'),
      limitText ? el('p', { class: 'limits' }, limitText) : null,
      nested && !nested.$ref && nested.properties && depth < 4 ? fields(nested, depth + 1) : null);
  }));
  if (object.additionalProperties === false && depth === 0) notes.push(el('p', { class: 'note' }, t('strict')));
  return [list, ...notes];
}

const example = (value, open) => el('details', { class: 'example', open },
  el('summary', {}, t('example')),
  el('pre', {}, el('code', {}, typeof value === 'string' ? value : JSON.stringify(value, null, 2))));

function parameters(list) {
  if (!list?.length) return null;
  const where = { path: t('inPath'), query: t('inQuery'), header: t('inHeader') };
  return el('div', { class: 'block' }, el('h4', {}, t('parameters')), el('ul', { class: 'fields' }, list.map(resolve).map((p) =>
    el('li', {},
      el('div', { class: 'field-head' }, el('code', { class: 'name' }, p.name), ' ',
        el('span', { class: 'type' }, where[p.in] ?? p.in, ' · ', typeLabel(p.schema)), ' ',
        p.required ? el('span', { class: 'badge required' }, t('required')) : el('span', { class: 'badge' }, t('optional'))),
      paragraphs(p.description, 'desc'),
      p.schema && limits(p.schema) ? el('p', { class: 'limits' }, limits(p.schema)) : null))));
}

function requestBody(body) {
  if (!body) return null;
  const [media, content] = Object.entries(body.content ?? {})[0] ?? [];
  if (!content) return null;
  return el('div', { class: 'block' },
    el('h4', {}, t('body'), ' ', el('span', { class: 'media' }, media), ' ',
      body.required ? el('span', { class: 'badge required' }, t('required')) : el('span', { class: 'badge' }, t('optional'))),
    content.schema?.$ref ? el('p', { class: 'note' }, `${t('schema')}: `, schemaLink(content.schema.$ref)) : null,
    fields(content.schema),
    content.example !== undefined ? example(content.example, true) : null);
}

function responses(map) {
  return el('div', { class: 'block' }, el('h4', {}, t('responses')), el('ul', { class: 'responses' },
    Object.entries(map ?? {}).map(([status, reference]) => {
      const response = resolve(reference);
      const [media, content] = Object.entries(response.content ?? {})[0] ?? [];
      const headers = Object.entries(response.headers ?? {});
      const kind = status === 'default' ? 'other' : `s${status[0]}`;
      return el('li', { class: 'response' },
        el('div', { class: 'field-head' }, el('span', { class: `http-status ${kind}` }, status), ' ',
          media ? el('span', { class: 'media' }, media) : null, ' ',
          content?.schema ? el('span', { class: 'type' }, typeLabel(content.schema)) : null),
        paragraphs(response.description, 'desc'),
        headers.length ? el('p', { class: 'limits' }, `${t('headers')}: `, headers.map(([name, header], i) => [i ? ', ' : '',
          el('code', {}, name + (resolve(header).schema?.const ? `: ${resolve(header).schema.const}` : '')),
          resolve(header).description ? ` — ${resolve(header).description}` : ''])) : null,
        content?.example !== undefined ? example(content.example, status.startsWith('2')) : null);
    })));
}

function operation(path, method, op) {
  const id = op.operationId ?? `${method}-${path}`;
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  const section = el('section', { class: 'op', id },
    el('h3', { class: 'op-head' }, el('span', { class: `method m-${method}` }, method.toUpperCase()), ' ',
      el('code', { class: 'path' }, pathNodes(path))),
    el('p', { class: 'summary', lang: 'en' }, inline(op.summary ?? ''), ' ',
      el('span', { class: isPublic ? 'badge public' : 'badge token' }, isPublic ? t('public') : t('token'))),
    paragraphs(op.description, 'desc'),
    parameters(op.parameters), requestBody(op.requestBody), responses(op.responses));
  section.dataset.search = `${method} ${path} ${op.summary ?? ''} ${(op.tags ?? []).join(' ')}`.toLowerCase();
  return section;
}

/** Operations by tag, in the order of the document's `tags`, then any other tag in order of appearance. */
function groups() {
  const order = (doc.tags ?? []).map((tag) => tag.name);
  const byTag = new Map(order.map((name) => [name, []]));
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  return [...byTag].filter(([, ops]) => ops.length);
}

function render() {
  const main = document.getElementById('content');
  const list = document.getElementById('toc-list');
  const info = doc.info ?? {};
  const intro = el('header', { class: 'intro' }, el('h1', {}, info.title ?? 'API'),
    info.version ? el('p', { class: 'limits' }, `${t('version')} ${info.version} · OpenAPI ${doc.openapi ?? ''}`) : null,
    paragraphs(info.description, 'desc'));
  const sections = [];
  const toc = [];
  for (const [tag, ops] of groups()) {
    const description = (doc.tags ?? []).find((entry) => entry.name === tag)?.description;
    const rendered = ops.map(({ path, method, op }) => operation(path, method, op));
    sections.push(el('section', { class: 'tag', id: `tag-${tag}` }, el('h2', {}, tag), paragraphs(description, 'desc'), rendered));
    toc.push(el('div', { class: 'toc-group' }, el('a', { class: 'toc-tag', href: `#tag-${tag}` }, tag),
      el('ul', {}, ops.map(({ path, method, op }, index) => {
        const item = el('li', {}, el('a', { href: `#${rendered[index].id}` },
          el('span', { class: `method m-${method}` }, method.toUpperCase()), ' ', el('span', { class: 'toc-path' }, pathNodes(path))));
        item.dataset.search = rendered[index].dataset.search;
        return item;
      }))));
  }
  const schemas = Object.entries(doc.components?.schemas ?? {});
  const schemaSection = el('section', { class: 'tag', id: 'schemas' }, el('h2', {}, t('schemas')),
    schemas.map(([name, schema]) => el('section', { class: 'op schema', id: `schema-${name}` },
      el('h3', { class: 'op-head' }, el('code', { class: 'path' }, name)),
      paragraphs(schema.description, 'desc'), fields(schema))));
  toc.push(el('div', { class: 'toc-group' }, el('a', { class: 'toc-tag', href: '#schemas' }, t('schemas'))));
  const empty = el('p', { class: 'status', hidden: true }, t('noMatch'));
  main.replaceChildren(intro, empty, ...sections, schemaSection);
  list.replaceChildren(...toc);
  document.getElementById('filter').addEventListener('input', (event) => filter(event.target.value, empty));
}

function filter(text, empty) {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (node) => words.every((word) => node.dataset.search.includes(word));
  let shown = 0;
  for (const node of document.querySelectorAll('[data-search]')) {
    node.hidden = !matches(node);
    if (!node.hidden && node.tagName === 'SECTION') shown += 1;
  }
  for (const group of document.querySelectorAll('section.tag, .toc-group')) {
    const items = group.querySelectorAll('[data-search]');
    if (items.length) group.hidden = [...items].every((node) => node.hidden);
  }
  empty.hidden = shown > 0;
}

function chrome() {
  document.documentElement.lang = german ? 'de' : 'en';
  document.title = `Basar ${t('title')}`;
  const set = (id, key) => { const node = document.getElementById(id); if (node) node.textContent = t(key); };
  set('top-title', 'title');
  set('toc-title', 'operations');
  set('filter-label', 'filter');
  set('status', 'loading');
  const skip = document.querySelector('.skip');
  if (skip) skip.textContent = t('skip');
  // On a phone the list of operations starts folded so the reference itself comes first.
  if (!window.matchMedia('(min-width: 900px)').matches) document.getElementById('toc-box').open = false;
}

async function start() {
  chrome();
  try {
    const response = await fetch('/openapi.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    doc = await response.json();
    render();
    if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  } catch (error) {
    document.getElementById('status').textContent = `${t('failed')}: ${error.message}`;
  }
}

start();
