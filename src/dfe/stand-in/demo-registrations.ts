/**
 * Three teachers the demo's DfE stand-in holds as registered for NPQLT in cohort 2025a with the demo
 * provider, and whom the demo (src/demo/dfe-demo.ts) takes in from DfE and accepts into its
 * "Spring 2025" NPQLT intake with a funded place: DfE's ids are fixed so the two sides meet. Their
 * registers give the declarations page something true to show: Nadia came to three sessions, Owen to
 * one, Tomasz to none yet (issue 13's journey marks him present and declares his start).
 */
export const DEMO_FUNDED_AT_DFE = [
  { fullName: 'Nadia Rahman', trn: '5300001', email: 'nadia.rahman@dfe-registered.test', dfeParticipantId: '6f1c2a10-5b7e-4c61-9d2a-2b1e0c7a5001', dfeApplicationId: '9a4e7c20-1d3b-4f85-8e6a-3c2d1b0a6001', attended: ['b1', 'e1', 'e2'] },
  { fullName: 'Owen Price', trn: '5300002', email: 'owen.price@dfe-registered.test', dfeParticipantId: '6f1c2a10-5b7e-4c61-9d2a-2b1e0c7a5002', dfeApplicationId: '9a4e7c20-1d3b-4f85-8e6a-3c2d1b0a6002', attended: ['e1'] },
  { fullName: 'Tomasz Kowalski', trn: '5300003', email: 'tomasz.kowalski@dfe-registered.test', dfeParticipantId: '6f1c2a10-5b7e-4c61-9d2a-2b1e0c7a5003', dfeApplicationId: '9a4e7c20-1d3b-4f85-8e6a-3c2d1b0a6003', attended: [] },
] as const;

/** The demo's delivery partners by the names DfE knows them by: the platform matches its own to DfE's ids by name. */
export const DEMO_PARTNER_NAMES = ['Midlands Teaching School Hub', 'North East Leadership Trust'] as const;
