/** The coordinator's ways from a screen to their other screens: the dashboard, the street office's report, people and devices, requests, exports. */
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';

const LINKS = [
  { href: '/dashboard', icon: '📊', key: 'dashboard.link' },
  { href: '/report', icon: '📄', key: 'report.link' },
  { href: '/team', icon: '👥', key: 'team.link' },
  { href: '/requests', icon: '📮', key: 'requests.link' },
  { href: '/exports', icon: '⬇', key: 'exports.link' },
] as const;

export function CoordinatorLinks({ except }: { except?: (typeof LINKS)[number]['href'] }) {
  const { t } = useI18n();
  return (
    <>
      {LINKS.filter((l) => l.href !== except).map((l) => (
        <Link key={l.href} href={l.href} class="button secondary">
          {l.icon} {t(l.key)}
        </Link>
      ))}
    </>
  );
}
