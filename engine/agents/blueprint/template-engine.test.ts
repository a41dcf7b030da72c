import { describe, expect, it } from 'vitest';
import { renderTemplate } from './template-engine.ts';

describe('renderTemplate', () => {
  it('fills values, nested paths, loops and conditions', () => {
    const out = renderTemplate(
      '[[a]] [[b.c]][[#each xs]] <[[.]]>[[/each]][[#if on]] on[[/if]][[#unless on]] off[[/unless]]',
      {
        a: 'x',
        b: { c: 2 },
        xs: ['p', 'q'],
        on: false,
      },
    );
    expect(out).toBe('x 2 <p> <q> off');
  });

  it('looks names up from the innermost scope outwards', () => {
    expect(
      renderTemplate('[[#each items]][[name]]@[[host]];[[/each]]', {
        host: 'h',
        items: [{ name: 'a' }, { name: 'b', host: 'k' }],
      }),
    ).toBe('a@h;b@k;');
  });

  it('drops the lines of block tags that stand alone', () => {
    expect(renderTemplate('a:\n  [[#if x]]\n  b: 1\n  [[/if]]\nc: 2\n', { x: true })).toBe(
      'a:\n  b: 1\nc: 2\n',
    );
  });

  it('includes partials indented like the tag', () => {
    const partial = (path: string) => (path === 'p' ? 'x: [[v]]\ny: 2\n' : '');
    expect(renderTemplate('top:\n  [[> p]]\n', { v: 1 }, partial)).toBe('top:\n  x: 1\n  y: 2\n');
  });

  it('leaves Helm and GitHub expressions alone', () => {
    expect(renderTemplate('{{ .Values.a }} ${{ github.sha }} [[ -f x ]]', {})).toBe(
      '{{ .Values.a }} ${{ github.sha }} [[ -f x ]]',
    );
  });

  it('refuses unknown names, unclosed blocks and objects in value position', () => {
    expect(() => renderTemplate('[[missing]]', {})).toThrow(/missing is not defined/);
    expect(() => renderTemplate('[[#if a]]x', { a: true })).toThrow(/never closed/);
    expect(() => renderTemplate('[[a]]', { a: { b: 1 } })).toThrow(/not a scalar/);
    expect(() => renderTemplate('[[#each a]][[/if]]', { a: [] })).toThrow(/mismatched/);
  });
});
