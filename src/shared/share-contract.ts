/** Request channels for share links (presigned GET, PUT and POST), spread into the contract. */
export const shareRequests = {} as const;
