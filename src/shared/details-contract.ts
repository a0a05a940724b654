/** Request channels of the details panel (object and bucket properties, metadata, tags, encryption). */
export const detailsRequests = {} as const;

/** Event channels of the details panel. */
export const detailsEvents = {} as const;
