// Bookings, alerts, users, audit trail and tenant settings (#/bookings, #/alerts, #/users, #/audit, #/settings). To be built.
export const views = [];
