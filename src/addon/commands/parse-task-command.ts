import { checkAssignee, checkTaskText, parseTaskNumber } from '../tasks/task';

/** What a "/task …" message asks for. */
export type TaskCommand =
  | { kind: 'add'; text: string }
  | { kind: 'list'; all: boolean }
  | { kind: 'done' | 'undo' | 'delete'; number: number }
  | { kind: 'assign'; number: number; assignee: string }
  | { kind: 'help' }
  /** Recognised sub-command, bad arguments: `message` says what is wrong, `usage` how to write it. */
  | { kind: 'invalid'; message: string; usage: string }
  /** Not a sub-command at all: answered with the help text. */
  | { kind: 'unknown'; word: string };

export const USAGE = {
  add: '/task add <text>',
  list: '/task list [all]',
  done: '/task done <number>',
  undo: '/task undo <number>',
  delete: '/task delete <number>',
  assign: '/task assign <number> @mention',
  help: '/task help',
} as const;

/** Parses the whole message text, e.g. "/task add Buy milk". Pure. */
export function parseTaskCommand(message: string): TaskCommand {
  const match = /^\s*\/task(?:\s+([\s\S]*))?$/i.exec(message);
  if (!match) return { kind: 'unknown', word: message.trim().split(/\s+/, 1)[0] ?? '' };
  const rest = (match[1] ?? '').trim();
  if (rest === '') return { kind: 'help' };
  const [word = '', ...args] = rest.split(/\s+/);
  const sub = word.toLowerCase();
  switch (sub) {
    case 'add': {
      // The text keeps its own spacing; only what follows "add" counts.
      const text = checkTaskText(rest.slice(word.length));
      return text.ok ? { kind: 'add', text: text.value } : invalid(text.message, USAGE.add);
    }
    case 'list':
      if (args.length === 0) return { kind: 'list', all: false };
      if (args.length === 1 && args[0]?.toLowerCase() === 'all') return { kind: 'list', all: true };
      return invalid('"list" takes nothing or "all".', USAGE.list);
    case 'done':
    case 'undo':
    case 'delete':
      return withNumber(sub, args, 1, (number) => ({ kind: sub, number }));
    case 'assign':
      return withNumber(sub, args, 2, (number) => {
        const assignee = checkAssignee(args[1] ?? '');
        return assignee.ok ? { kind: 'assign', number, assignee: assignee.value } : invalid(assignee.message, USAGE.assign);
      });
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', word };
  }
}

function withNumber(
  sub: 'done' | 'undo' | 'delete' | 'assign',
  args: string[],
  expected: number,
  build: (number: number) => TaskCommand,
): TaskCommand {
  const usage = USAGE[sub];
  if (args.length !== expected) return invalid(`"${sub}" needs ${expected === 1 ? 'a task number' : 'a task number and a @mention'}.`, usage);
  const number = parseTaskNumber(args[0] ?? '');
  if (number === undefined) return invalid(`"${args[0] ?? ''}" is not a task number.`, usage);
  return build(number);
}

function invalid(message: string, usage: string): TaskCommand {
  return { kind: 'invalid', message, usage };
}
