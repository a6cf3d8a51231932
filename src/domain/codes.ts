// Administrative codes (DESIGN rule 6): district 6 digits, street +3, community +3, grid +3.
export const CODE_LENGTH = { district: 6, street: 9, community: 12, grid: 15 } as const;

export function streetOf(code: string): string {
  return code.slice(0, CODE_LENGTH.street);
}

export function communityOf(code: string): string {
  return code.slice(0, CODE_LENGTH.community);
}

export function isWellFormedGridCode(code: string): boolean {
  return /^\d{15}$/.test(code);
}
