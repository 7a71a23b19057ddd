import path from 'node:path';
import { Router } from 'express';
import { defineModule, NotAvailableHere, type AddonModule, type GlanceContent, type HandlerContext } from '../../index';
import { StandupStore, today, type StandupDay } from './standup-store';

const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="7" fill="#36b37e"/></svg>';
const icon = { url: '/standup/icon.svg', 'url@2x': '/standup/icon.svg' };

/** The room's stand-up of the day, for the installation the context belongs to. */
function dayOf(ctx: Pick<HandlerContext, 'installation' | 'room'>): StandupDay {
  // Rooms connected with a notification token have no installation to keep updates under: say so.
  if (!ctx.installation) throw new NotAvailableHere('an installation to keep the updates under');
  return { oauthId: ctx.installation.oauthId, roomId: ctx.room.id, day: today() };
}

export function standupGlance(count: number): GlanceContent {
  return {
    label: { type: 'html', value: `<b>${count}</b> update${count === 1 ? '' : 's'} today` },
    ...(count > 0 ? {} : { status: { type: 'lozenge' as const, value: { label: 'waiting', type: 'current' as const } } }),
    metadata: { count },
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A daily stand-up, built only on the public API: `/standup <update>` records your update of the day
 * and `/standup` lists the room's; entering a room reminds you once a day; a glance counts the updates.
 */
export function standupModule(): AddonModule {
  return defineModule({
    key: 'standup',
    descriptor: {
      scopes: ['send_notification'],
      // No queryUrl: the core serves this glance from the provider of the same key, at /glance/standup.
      glances: [{ key: 'standup', name: { value: 'Stand-up' }, icon }],
    },
    migrations: { dir: path.join(__dirname, 'migrations') },
    setup(core) {
      return {
        commands: {
          '/standup': async (ctx) => {
            const day = dayOf(ctx);
            const store = new StandupStore(ctx.db);
            if (ctx.args === '') {
              const updates = await store.list(day);
              if (updates.length === 0) return 'No updates yet today. Post yours: /standup <what you did, what is next>';
              return updates.map((update) => `${update.name ?? 'Someone'}: ${update.text}`).join('\n');
            }
            if (ctx.args.length > 500) return 'An update is at most 500 characters.';
            const name = (await ctx.displayName()) ?? ctx.user?.name ?? null;
            const count = await store.post(day, ctx.user?.id ?? 'unknown', name, ctx.args);
            await ctx.glance.push('standup', standupGlance(count));
            return { message: `Thanks${name ? ` ${escapeHtml(name)}` : ''}: <b>${count}</b> update${count === 1 ? '' : 's'} today.`, color: 'green' };
          },
        },
        events: {
          room_enter: async (ctx) => {
            if (!ctx.user || !(await new StandupStore(ctx.db).firstReminder(dayOf(ctx), ctx.user.id))) return;
            const who = ctx.payload.item.sender.mention_name ?? ctx.user.name ?? 'there';
            await ctx.notify({ message: `Good morning @${who}: post your stand-up with /standup <update>.`, message_format: 'text', color: 'gray' });
          },
        },
        glances: {
          standup: async (ctx) => standupGlance(await new StandupStore(core.db).count(dayOf(ctx))),
        },
        routes: iconRoute(),
      };
    },
  });
}

/** A module's pages and files are an Express router; this one only serves the glance icon. */
function iconRoute(): Router {
  const router = Router();
  router.get('/standup/icon.svg', (_req, res) => void res.type('image/svg+xml').set('Cache-Control', 'max-age=3600').send(ICON_SVG));
  return router;
}
