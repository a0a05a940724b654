/** Request channels of the transfer queue (uploads and downloads), spread into the contract. */
export const transferRequests = {} as const;

/** Event channels of the transfer queue. */
export const transferEvents = {} as const;
