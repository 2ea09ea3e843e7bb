import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, setCsrfToken } from "./api/client";
import type { components } from "./api/schema";
import { ApiError } from "./api/problem";

export type User = components["schemas"]["UserResponse"];
type SignedIn = components["schemas"]["SignedInResponse"];

/** Why the server ended this browser's session, for the sign-in page to say. */
export type SignedOutNotice = { kind: "deletion-scheduled"; dueAt: string } | { kind: "deleted" };

interface SessionState {
  /** `undefined` while the first lookup runs, `null` when signed out. */
  user: User | null | undefined;
  signedIn: (answer: SignedIn) => void;
  /** Shows a changed profile (e.g. a new display name) without a new lookup. */
  updateUser: (user: User) => void;
  signOut: () => Promise<void>;
  /** Forgets a session the server already ended (the account's deletion), keeping the reason until the next sign-in. */
  signedOutBy: (notice: SignedOutNotice) => void;
  notice: SignedOutNotice | null;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [notice, setNotice] = useState<SignedOutNotice | null>(null);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/auth/session").then(
      ({ data }) => {
        if (live && data) {
          setCsrfToken(data.csrf_token);
          setUser(data.user);
        }
      },
      (error: unknown) => {
        // 401 simply means nobody is signed in; anything else too, for now.
        if (live) {
          setUser(null);
        }
        if (!(error instanceof ApiError)) {
          console.error(error);
        }
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const signedIn = useCallback((answer: SignedIn) => {
    setCsrfToken(answer.csrf_token);
    setUser(answer.user);
    setNotice(null);
  }, []);

  const updateUser = useCallback((changed: User) => {
    setUser(changed);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.POST("/api/v1/auth/logout");
    } finally {
      setCsrfToken(null);
      setUser(null);
    }
  }, []);

  const signedOutBy = useCallback((reason: SignedOutNotice) => {
    setCsrfToken(null);
    setUser(null);
    setNotice(reason);
  }, []);

  const value = useMemo(
    () => ({ user, signedIn, updateUser, signOut, signedOutBy, notice }),
    [user, signedIn, updateUser, signOut, signedOutBy, notice],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) {
    throw new Error("useSession needs a SessionProvider");
  }
  return state;
}
