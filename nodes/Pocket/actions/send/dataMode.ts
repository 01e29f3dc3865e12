/** n8n's own names for the two ways of giving a node its values (as in its Postgres and Google Sheets nodes). */
export const DATA_MODE = { define: 'defineBelow', autoMap: 'autoMapInputData' } as const;
