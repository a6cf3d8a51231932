// Household bands (DESIGN rule 5): a grid's own band, else its community's, else this default.
export const DEFAULT_BAND: [number, number] = [150, 500];
