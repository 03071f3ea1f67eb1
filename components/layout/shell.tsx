"use client";

import {
  Activity,
  BarChart3,
  KeyRound,
  KeySquare,
  Menu,
  RefreshCw,
  ScrollText,
  UserCog,
  Users,
  Webhook,
  X,
} from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Suspense, useEffect, useRef, useState, type ReactNode } from "react";
import type { NavItem, Role } from "@/lib/auth/roles";
import { signOutAction } from "@/lib/sign-in/actions";
import { cn } from "@/components/ui/cn";
import { LocaleSwitcher } from "./locale-switcher";
import { NavPending } from "./nav-pending";
import { SearchBox } from "./search-box";
import { SignOutButton } from "./sign-out-button";

const icons: Record<NavItem["label"], typeof Users> = {
  overview: BarChart3,
  people: Users,
  accounts: KeyRound,
  syncs: RefreshCw,
  staff: UserCog,
  audit: ScrollText,
  system: Activity,
  apiKeys: KeySquare,
  webhooks: Webhook,
};

interface ShellProps {
  staff: { name: string; email: string; role: Role };
  nav: NavItem[];
  /** Shows the people search box in the header (roles that may see people). */
  canSearch: boolean;
  children: ReactNode;
}

export function Shell({ staff, nav, canSearch, children }: ShellProps) {
  const t = useTranslations();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);

  // A modal drawer: focus moves into it, Escape closes it, and focus returns to the menu button.
  useEffect(() => {
    if (open) {
      closeButton.current?.focus();
      const onKey = (event: KeyboardEvent) => {
        if (event.key === "Escape") setOpen(false);
      };
      document.addEventListener("keydown", onKey);
      wasOpen.current = true;
      return () => document.removeEventListener("keydown", onKey);
    }
    if (wasOpen.current) menuButton.current?.focus();
    wasOpen.current = false;
  }, [open]);

  const links = (
    <nav aria-label={t("nav.label")} className="flex flex-col gap-1">
      {nav.map((item) => {
        const Icon = icons[item.label];
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            onClick={() => setOpen(false)}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-emerald-50 text-emerald-800" : "text-slate-700 hover:bg-slate-100",
            )}
          >
            <Icon aria-hidden className="size-4" />
            {t(`nav.${item.label}`)}
            <NavPending />
          </Link>
        );
      })}
    </nav>
  );

  const account = (
    <div className="border-t border-slate-200 pt-4">
      <p className="truncate text-sm font-medium text-slate-900">{staff.name}</p>
      <p className="truncate text-xs text-slate-500">{staff.email}</p>
      <p className="mt-1 text-xs text-slate-500">{t(`roles.${staff.role}`)}</p>
      <p className="mt-1 text-xs text-slate-500">{t("nav.timeZone")}</p>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
        <LocaleSwitcher />
        <form action={signOutAction}>
          <SignOutButton />
        </form>
      </div>
    </div>
  );

  return (
    <div className="min-h-screen lg:flex">
      <a
        href="#content"
        className="sr-only rounded-md bg-white text-sm font-medium text-emerald-800 shadow ring-1 ring-slate-300 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        {/* Padding on the inner span: not-sr-only resets the link's own padding to 0. */}
        <span className="block px-3 py-2">{t("nav.skip")}</span>
      </a>
      <aside className="hidden w-60 shrink-0 flex-col justify-between border-r border-slate-200 bg-white p-4 lg:flex lg:min-h-screen">
        <div>
          <p className="mb-6 px-3 text-lg font-bold text-emerald-700">{t("app.name")}</p>
          {links}
        </div>
        {account}
      </aside>

      <header
        inert={open}
        className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3 lg:hidden"
      >
        <p className="text-lg font-bold text-emerald-700">{t("app.name")}</p>
        <button
          ref={menuButton}
          type="button"
          onClick={() => setOpen(true)}
          aria-expanded={open}
          aria-controls="mobile-nav"
          className="rounded-md p-2 text-slate-700 hover:bg-slate-100"
        >
          <Menu aria-hidden className="size-5" />
          <span className="sr-only">{t("nav.open")}</span>
        </button>
      </header>
      {open && (
        <div
          id="mobile-nav"
          className="fixed inset-0 z-40 lg:hidden"
          role="dialog"
          aria-modal="true"
          aria-label={t("nav.label")}
        >
          <div className="absolute inset-0 bg-slate-900/40" onClick={() => setOpen(false)} aria-hidden />
          <div className="absolute inset-y-0 left-0 flex w-72 flex-col justify-between bg-white p-4 shadow-xl">
            <div>
              <div className="mb-6 flex items-center justify-between">
                <p className="px-3 text-lg font-bold text-emerald-700">{t("app.name")}</p>
                <button
                  ref={closeButton}
                  type="button"
                  onClick={() => setOpen(false)}
                  className="rounded-md p-2 hover:bg-slate-100"
                >
                  <X aria-hidden className="size-5" />
                  <span className="sr-only">{t("nav.close")}</span>
                </button>
              </div>
              {links}
            </div>
            {account}
          </div>
        </div>
      )}

      <div className="min-w-0 flex-1" inert={open}>
        {canSearch && (
          <Suspense>
            <SearchBox />
          </Suspense>
        )}
        <main id="content" tabIndex={-1} className="px-4 py-6 focus:outline-none sm:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
