/** The cards lists are made of, where more than one screen shows the same thing: a household's situation tags, a need. */
import type { Household } from '../../shared/household.ts';
import type { Need } from '../../shared/need.ts';
import { isOpenNeed } from '../../shared/need.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import type { ComponentChildren } from 'preact';
import { needDescription } from '../../shared/need.ts';

export function Tags({ tags }: { tags: Household['tags'] }) {
  const { t } = useI18n();
  return (
    <>
      {tags.map((tag) => (
        <span key={tag} class="tag">
          {t(`tag.${tag}`)}
        </span>
      ))}
    </>
  );
}

/** A need as a card: urgent ones marked in words and by their border, never colour alone. */
export function NeedCard({ need: n, title, children }: { need: Need; title?: string; children?: ComponentChildren }) {
  const { t } = useI18n();
  const warn = isOpenNeed(n.status) && n.urgency === 'urgent';
  return (
    <Link href={`/needs/${n.id}`} class={`card${warn ? ' card-warn' : ''}`}>
      <strong class="card-title">
        {n.urgency === 'urgent' ? `⚠ ${t('urgency.urgent')} · ` : ''}
        {t(`needCat.${n.category}`)}
        {title ? ` · ${title}` : ''}
      </strong>
      <span class="card-problem">{needDescription(n, t)}</span>
      <span class="card-meta">
        <span class="status">{t(`needStatus.${n.status}`)}</span>
        {children}
      </span>
    </Link>
  );
}
