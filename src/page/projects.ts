import type { Context } from './context.js'
import { h, replace } from './dom.js'

/** `#/`: the projects, with how many pipelines and jobs each holds. */
export function projectsView(ctx: Context): void {
  const { projects } = ctx.overview
  replace(
    ctx.main,
    h('h1', null, 'Projects'),
    projects.length === 0
      ? h('p', null, 'The dataset holds no project. Load a fixture (POST /__fake/fixtures) and reload.')
      : h(
          'table',
          { class: 'list' },
          h('caption', null, `${projects.length} project${projects.length === 1 ? '' : 's'} in the fake`),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, 'ID'),
              h('th', { scope: 'col' }, 'Project'),
              h('th', { scope: 'col' }, 'Visibility'),
              h('th', { scope: 'col', class: 'num' }, 'Pipelines'),
              h('th', { scope: 'col', class: 'num' }, 'Jobs'),
            ),
          ),
          h(
            'tbody',
            null,
            projects.map((p) =>
              h(
                'tr',
                null,
                h('td', null, p.id),
                h('th', { scope: 'row' }, h('a', { href: `#/projects/${p.id}` }, p.path_with_namespace)),
                h('td', null, p.visibility),
                h('td', { class: 'num' }, p.pipelines.toLocaleString('en')),
                h('td', { class: 'num' }, p.jobs.toLocaleString('en')),
              ),
            ),
          ),
        ),
  )
}
