import type { ReactNode } from "react";
import { useRootData } from "~/root";

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const root = useRootData();
  return (
    <div className="auth">
      <main className="box">
        <h1>{title}</h1>
        <div className="supplier">{root?.supplierName}</div>
        {children}
      </main>
    </div>
  );
}
