import type { GlanceContent } from '../model/types';
import type { FieldResult } from './validate-notification';

const LOZENGE_TYPES = ['default', 'success', 'error', 'current', 'complete', 'moved'];

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Glance content, as answered by a queryUrl or pushed through /addon/ui: `{label: {type: 'html', value},
 * status?: lozenge | icon, metadata?}`. `field` prefixes error names (e.g. `glance[0].content`). Pure.
 */
export function validateGlanceContent(value: unknown, field = 'content'): FieldResult<GlanceContent> {
  const content = asRecord(value);
  if (!content) return { ok: false, field, message: `${field}: must be an object` };
  const label = asRecord(content.label);
  if (!label) return { ok: false, field: `${field}.label`, message: `${field}.label: is required ({type: 'html', value})` };
  if (label.type !== 'html') return { ok: false, field: `${field}.label.type`, message: `${field}.label.type: must be "html"` };
  if (typeof label.value !== 'string') return { ok: false, field: `${field}.label.value`, message: `${field}.label.value: must be a string` };
  const result: GlanceContent = { label: { type: 'html', value: label.value } };
  if (content.status !== undefined && content.status !== null) {
    const status = asRecord(content.status);
    const statusValue = asRecord(status?.value);
    if (status?.type === 'lozenge' && statusValue && typeof statusValue.label === 'string' && typeof statusValue.type === 'string' && LOZENGE_TYPES.includes(statusValue.type)) {
      result.status = { type: 'lozenge', value: { label: statusValue.label, type: statusValue.type } };
    } else if (status?.type === 'icon' && statusValue && typeof statusValue.url === 'string') {
      const icon: { url: string; 'url@2x'?: string } = { url: statusValue.url };
      if (typeof statusValue['url@2x'] === 'string') icon['url@2x'] = statusValue['url@2x'];
      result.status = { type: 'icon', value: icon };
    } else {
      return {
        ok: false,
        field: `${field}.status`,
        message: `${field}.status: must be {type: 'lozenge', value: {label, type: ${LOZENGE_TYPES.join('|')}}} or {type: 'icon', value: {url, url@2x}}`,
      };
    }
  }
  if (content.metadata !== undefined) {
    const metadata = asRecord(content.metadata);
    if (!metadata) return { ok: false, field: `${field}.metadata`, message: `${field}.metadata: must be an object` };
    result.metadata = metadata;
  }
  return { ok: true, value: result };
}
