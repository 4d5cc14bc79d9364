/** A small DOM builder: `h('a', { href: '#/' }, 'Projects')`. Text is always set as text, never as HTML. */

export type Child = Node | string | number | null | undefined | false | readonly Child[]

type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value)
    else if (value === true) element.setAttribute(name, '')
    else element.setAttribute(name, String(value))
  }
  append(element, children)
  return element
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else
      parent.appendChild(typeof child === 'object' ? (child as Node) : document.createTextNode(String(child)))
  }
}

/** Replaces what `parent` holds. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild)
  append(parent, children)
}

const SVG = 'http://www.w3.org/2000/svg'

/** An inline SVG from path data: decorative, hidden from assistive technology. */
export function svg(
  viewBox: string,
  paths: readonly { d: string; fill?: string; stroke?: string }[],
): SVGElement {
  const root = document.createElementNS(SVG, 'svg')
  root.setAttribute('viewBox', viewBox)
  root.setAttribute('aria-hidden', 'true')
  root.setAttribute('focusable', 'false')
  for (const p of paths) {
    const path = document.createElementNS(SVG, 'path')
    path.setAttribute('d', p.d)
    path.setAttribute('fill', p.fill ?? 'none')
    if (p.stroke) {
      path.setAttribute('stroke', p.stroke)
      path.setAttribute('stroke-width', '2')
      path.setAttribute('stroke-linecap', 'round')
      path.setAttribute('stroke-linejoin', 'round')
    }
    root.appendChild(path)
  }
  return root
}

/** Bytes as people read them: 1.2 MB. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** An ISO time as a short local one, with the ISO text kept in a <time>. */
export function time(iso: string | null | undefined): Child {
  if (!iso) return '—'
  const date = new Date(iso)
  return h('time', { datetime: iso, title: iso }, date.toLocaleString())
}
