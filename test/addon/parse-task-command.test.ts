import { parseTaskCommand } from '../../src/addon/commands/parse-task-command';
import { checkTaskText } from '../../src/addon/tasks/task';

describe('parseTaskCommand', () => {
  it('reads /task add with the text as typed, spacing collapsed', () => {
    expect(parseTaskCommand('/task add Buy   milk ')).toEqual({ kind: 'add', text: 'Buy milk' });
    expect(parseTaskCommand('/task ADD <script>alert(1)</script>')).toEqual({ kind: 'add', text: '<script>alert(1)</script>' });
    expect(parseTaskCommand('/task add line one\nline two')).toEqual({ kind: 'add', text: 'line one line two' });
  });

  it('refuses /task add without text or with more than 500 characters', () => {
    expect(parseTaskCommand('/task add')).toMatchObject({ kind: 'invalid', usage: '/task add <text>' });
    expect(parseTaskCommand('/task add    ')).toMatchObject({ kind: 'invalid', message: 'The task text is empty.' });
    expect(parseTaskCommand(`/task add ${'x'.repeat(500)}`)).toEqual({ kind: 'add', text: 'x'.repeat(500) });
    expect(parseTaskCommand(`/task add ${'x'.repeat(501)}`)).toMatchObject({
      kind: 'invalid',
      message: 'The task text is too long (501 characters; at most 500).',
    });
  });

  it('counts characters, not UTF-16 units, and drops control characters', () => {
    expect(checkTaskText('😀'.repeat(500))).toEqual({ ok: true, value: '😀'.repeat(500) });
    expect(checkTaskText('a\u0000b\u0007c')).toEqual({ ok: true, value: 'abc' });
  });

  it('reads list and list all', () => {
    expect(parseTaskCommand('/task list')).toEqual({ kind: 'list', all: false });
    expect(parseTaskCommand('/task list ALL')).toEqual({ kind: 'list', all: true });
    expect(parseTaskCommand('/task list everything')).toMatchObject({ kind: 'invalid', usage: '/task list [all]' });
  });

  it.each(['done', 'undo', 'delete'] as const)('reads /task %s with a number, with or without #', (kind) => {
    expect(parseTaskCommand(`/task ${kind} 3`)).toEqual({ kind, number: 3 });
    expect(parseTaskCommand(`/task ${kind} #12`)).toEqual({ kind, number: 12 });
  });

  it.each([['done'], ['done abc'], ['done 0'], ['done -1'], ['done 1.5'], ['done 1 2'], ['undo 9999999999'], ['delete']])(
    'refuses /task %s',
    (args) => {
      expect(parseTaskCommand(`/task ${args}`)).toMatchObject({ kind: 'invalid' });
    },
  );

  it('reads /task assign with a mention and refuses bad ones', () => {
    expect(parseTaskCommand('/task assign 2 @ada')).toEqual({ kind: 'assign', number: 2, assignee: 'ada' });
    expect(parseTaskCommand('/task assign #2 bob.smith')).toEqual({ kind: 'assign', number: 2, assignee: 'bob.smith' });
    expect(parseTaskCommand('/task assign 2')).toMatchObject({ kind: 'invalid', usage: '/task assign <number> @mention' });
    expect(parseTaskCommand('/task assign x @ada')).toMatchObject({ kind: 'invalid' });
    expect(parseTaskCommand('/task assign 2 @<b>')).toMatchObject({ kind: 'invalid' });
    expect(parseTaskCommand('/task assign 2 @all')).toMatchObject({ kind: 'invalid' });
    expect(parseTaskCommand('/task assign 2 @here')).toMatchObject({ kind: 'invalid' });
  });

  it('answers help for /task, /task help and anything it does not know', () => {
    expect(parseTaskCommand('/task')).toEqual({ kind: 'help' });
    expect(parseTaskCommand('/task help')).toEqual({ kind: 'help' });
    expect(parseTaskCommand('/task frobnicate 3')).toEqual({ kind: 'unknown', word: 'frobnicate' });
    expect(parseTaskCommand('/tasks add x')).toMatchObject({ kind: 'unknown' });
  });
});
