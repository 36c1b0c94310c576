/**
 * Every screen the app has, by path. Screens past the first load when first opened, to keep
 * the first screen small; each waits for the rest of the strings, so it never shows a key.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { catalogueReady, useI18n } from './i18n.tsx';
import { match } from './router.tsx';
import EventsScreen from './screens/EventsScreen.tsx';

function lazy<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [, force] = useState(0);
    useEffect(() => {
      // a screen past the first also waits for the rest of the strings, so it never shows a key
      if (!loaded) void Promise.all([load(), catalogueReady()]).then(([m]) => ((loaded = m.default), force((n) => n + 1)));
    }, []);
    const { t } = useI18n();
    const C = loaded;
    return C ? (
      <C {...props} />
    ) : (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );
  };
}

export const SetupScreen = lazy(() => import('./screens/SetupScreen.tsx'));
export const WeChatScreen = lazy<{ onAnyway: () => void }>(() => import('./screens/WeChatScreen.tsx'));
export const LoginScreen = lazy<{ again: boolean }>(() => import('./screens/LoginScreen.tsx'));
const EventFormScreen = lazy<{ id?: string }>(() => import('./screens/EventFormScreen.tsx'));
const EventScreen = lazy<{ id: string }>(() => import('./screens/EventScreen.tsx'));
const TicketFormScreen = lazy<{ id?: string; eventId?: string }>(() => import('./screens/TicketFormScreen.tsx'));
const TicketScreen = lazy<{ id: string; fresh: boolean }>(() => import('./screens/TicketScreen.tsx'));
const StatusScreen = lazy(() => import('./screens/StatusScreen.tsx'));
const ExportsScreen = lazy(() => import('./screens/ExportsScreen.tsx'));
const TeamScreen = lazy(() => import('./screens/TeamScreen.tsx'));
const DashboardScreen = lazy(() => import('./screens/DashboardScreen.tsx'));
const ReportScreen = lazy(() => import('./screens/ReportScreen.tsx'));
const HouseholdsScreen = lazy(() => import('./screens/HouseholdsScreen.tsx'));
const HouseholdFormScreen = lazy<{ id?: string }>(() => import('./screens/HouseholdFormScreen.tsx'));
const HouseholdScreen = lazy<{ id: string }>(() => import('./screens/HouseholdScreen.tsx'));
const ResidentFormScreen = lazy<{ id?: string; householdId?: string }>(() => import('./screens/ResidentFormScreen.tsx'));
const VisitFormScreen = lazy<{ householdId: string }>(() => import('./screens/VisitFormScreen.tsx'));
const NeedScreen = lazy<{ id: string }>(() => import('./screens/NeedScreen.tsx'));
const DueScreen = lazy(() => import('./screens/DueScreen.tsx'));
const HealthScreen = lazy(() => import('./screens/HealthScreen.tsx'));
const ResidentScreen = lazy<{ id: string }>(() => import('./screens/ResidentScreen.tsx'));
const CheckFormScreen = lazy<{ residentId: string }>(() => import('./screens/CheckFormScreen.tsx'));
const CheckScreen = lazy<{ id: string }>(() => import('./screens/CheckScreen.tsx'));
const ThresholdsScreen = lazy(() => import('./screens/ThresholdsScreen.tsx'));
const TeamSettingsScreen = lazy(() => import('./screens/TeamSettingsScreen.tsx'));
const AttendanceScreen = lazy<{ eventId: string }>(() => import('./screens/AttendanceScreen.tsx'));
const RosterScreen = lazy(() => import('./screens/RosterScreen.tsx'));
const MyServiceScreen = lazy(() => import('./screens/MyServiceScreen.tsx'));
const RequestsScreen = lazy(() => import('./screens/RequestsScreen.tsx'));
const WishesScreen = lazy(() => import('./screens/WishesScreen.tsx'));
const ServiceHoursScreen = lazy(() => import('./screens/ServiceHoursScreen.tsx'));
const CertificatesScreen = lazy<{ ids: string[] }>(() => import('./screens/CertificatesScreen.tsx'));

export function Screen({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if ((m = match('/events/new', path))) return <EventFormScreen />;
  if ((m = match('/events/:id/edit', path))) return <EventFormScreen id={m.id!} />;
  if ((m = match('/events/:id/tickets/new', path))) return <TicketFormScreen eventId={m.id!} />;
  if ((m = match('/events/:id/attendance', path))) return <AttendanceScreen eventId={m.id!} />;
  if ((m = match('/events/:id', path))) return <EventScreen id={m.id!} />;
  if ((m = match('/tickets/:id/edit', path))) return <TicketFormScreen id={m.id!} />;
  if ((m = match('/tickets/:id', path))) return <TicketScreen id={m.id!} fresh={new URLSearchParams(location.search).has('new')} />;
  if (match('/status', path)) return <StatusScreen />;
  if (match('/exports', path)) return <ExportsScreen />;
  if (match('/team', path)) return <TeamScreen />;
  if (match('/team/settings', path)) return <TeamSettingsScreen />;
  if (match('/team/roster', path)) return <RosterScreen />;
  if (match('/me', path)) return <MyServiceScreen />;
  if (match('/team/hours', path)) return <ServiceHoursScreen />;
  if (match('/requests', path)) return <RequestsScreen />;
  if (match('/wishes', path)) return <WishesScreen />;
  if (match('/certificates', path))
    return <CertificatesScreen ids={(new URLSearchParams(location.search).get('ids') ?? '').split(',').filter(Boolean)} />;
  if (match('/dashboard', path)) return <DashboardScreen />;
  if (match('/report', path)) return <ReportScreen />;
  if (match('/households', path)) return <HouseholdsScreen />;
  if (match('/households/new', path)) return <HouseholdFormScreen />;
  if ((m = match('/households/:id/edit', path))) return <HouseholdFormScreen id={m.id!} />;
  if ((m = match('/households/:id/residents/new', path))) return <ResidentFormScreen householdId={m.id!} />;
  if ((m = match('/households/:id/visits/new', path))) return <VisitFormScreen householdId={m.id!} />;
  if ((m = match('/households/:id', path))) return <HouseholdScreen id={m.id!} />;
  if ((m = match('/residents/:id/edit', path))) return <ResidentFormScreen id={m.id!} />;
  if ((m = match('/residents/:id/checks/new', path))) return <CheckFormScreen residentId={m.id!} />;
  if ((m = match('/residents/:id', path))) return <ResidentScreen id={m.id!} />;
  if ((m = match('/checks/:id', path))) return <CheckScreen id={m.id!} />;
  if ((m = match('/needs/:id', path))) return <NeedScreen id={m.id!} />;
  if (match('/visits', path)) return <DueScreen />;
  if (match('/health/thresholds', path)) return <ThresholdsScreen />;
  if (match('/health', path)) return <HealthScreen />;
  return <EventsScreen />;
}
