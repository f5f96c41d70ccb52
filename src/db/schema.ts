// Drizzle schema: every row the bot keeps. Times are UTC epoch ms; raw exchange JSON is kept for audit.
import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () => integer('created_at').notNull();

/** Write-ahead order log: a row exists BEFORE the order is posted; `identifier` is unique forever. */
export const orders = sqliteTable(
  'orders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    identifier: text('identifier').notNull(),
    exchangeOrderId: text('exchange_order_id'),
    market: text('market').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    kind: text('kind', { enum: ['market', 'limit', 'best'] }).notNull(),
    /** Why the order exists: strategy entry, strategy exit, an owner's command. */
    purpose: text('purpose', { enum: ['entry', 'exit', 'manual'] }).notNull(),
    positionId: integer('position_id'),
    /** KRW to spend (market buy). */
    amountKrw: real('amount_krw'),
    /** Base volume (sell). */
    volume: real('volume'),
    limitPrice: real('limit_price'),
    /**
     * submitting: row written, POST not answered yet · unknown: POST outcome unknown, to resolve by identifier ·
     * open: accepted, not final · done / cancelled: final at the exchange · rejected: the exchange said no ·
     * absent: proven never to have reached the exchange.
     */
    state: text('state', { enum: ['submitting', 'unknown', 'open', 'done', 'cancelled', 'rejected', 'absent'] }).notNull(),
    executedVolume: real('executed_volume').notNull().default(0),
    avgPrice: real('avg_price'),
    paidFee: real('paid_fee').notNull().default(0),
    error: text('error'),
    rawJson: text('raw_json'),
    resolveAttempts: integer('resolve_attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('orders_identifier_uq').on(t.identifier),
    index('orders_state_idx').on(t.state),
    index('orders_position_idx').on(t.positionId),
  ],
);

/** Real fills from the exchange's `trades`; idempotent by trade id. */
export const fills = sqliteTable(
  'fills',
  {
    tradeId: text('trade_id').primaryKey(),
    orderId: integer('order_id').notNull(),
    market: text('market').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    price: real('price').notNull(),
    volume: real('volume').notNull(),
    fundsKrw: real('funds_krw').notNull(),
    time: integer('time').notNull(),
    rawJson: text('raw_json'),
  },
  (t) => [index('fills_order_idx').on(t.orderId), index('fills_market_time_idx').on(t.market, t.time)],
);

/** A position exists only from real fills. */
export const positions = sqliteTable(
  'positions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    market: text('market').notNull(),
    /** opening: entry order in flight · open · closing: exit in flight · closed. */
    state: text('state', { enum: ['opening', 'open', 'closing', 'closed'] }).notNull(),
    /** Base volume bought (sum of the entry's buy fills). */
    volume: real('volume').notNull().default(0),
    entryPrice: real('entry_price'),
    entryCostKrw: real('entry_cost_krw').notNull().default(0),
    entryFeeKrw: real('entry_fee_krw').notNull().default(0),
    openedAt: integer('opened_at'),
    highPrice: real('high_price'),
    /** Base volume sold by exit orders so far (sum of sell fills); held = volume − exitVolume. */
    exitVolume: real('exit_volume').notNull().default(0),
    exitPrice: real('exit_price'),
    exitProceedsKrw: real('exit_proceeds_krw'),
    exitFeeKrw: real('exit_fee_krw'),
    closedAt: integer('closed_at'),
    exitReason: text('exit_reason'),
    pnlKrw: real('pnl_krw'),
    pnlRate: real('pnl_rate'),
    /** Base volume left under the 5,000 KRW minimum after the exit. */
    dustVolume: real('dust_volume').notNull().default(0),
    signalRatio: real('signal_ratio'),
    adviserDecisionId: integer('adviser_decision_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('positions_state_idx').on(t.state),
    index('positions_market_idx').on(t.market),
    index('positions_closed_idx').on(t.closedAt),
    // Trade history and its aggregates (dashboard read models): state + closing time, pnl covered.
    index('positions_trades_idx').on(t.state, t.closedAt, t.pnlKrw),
    index('positions_market_trades_idx').on(t.market, t.state, t.closedAt, t.pnlKrw),
    // The AI decisions list joins each round to the position it opened (without it SQLite builds a throwaway index per query).
    index('positions_adviser_decision_idx').on(t.adviserDecisionId),
    // Never two live positions in one market, whatever the caller's risk checks did.
    uniqueIndex('positions_market_live_uq').on(t.market).where(sql`state <> 'closed'`),
  ],
);

/** Realised PnL per Asia/Seoul calendar day ('YYYY-MM-DD'). */
export const dailyPnl = sqliteTable('daily_pnl', {
  day: text('day').primaryKey(),
  realisedKrw: real('realised_krw').notNull().default(0),
  feesKrw: real('fees_krw').notNull().default(0),
  trades: integer('trades').notNull().default(0),
  wins: integer('wins').notNull().default(0),
  losses: integer('losses').notNull().default(0),
  limitHitAt: integer('limit_hit_at'),
});

/** Every adviser round: what it saw, what it said, what the bot did, how it turned out. */
export const adviserDecisions = sqliteTable(
  'adviser_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    adviser: text('adviser').notNull(),
    candidatesJson: text('candidates_json').notNull(),
    promptHash: text('prompt_hash'),
    rawAnswer: text('raw_answer'),
    pick: text('pick'),
    confidence: integer('confidence'),
    risk: text('risk'),
    reason: text('reason'),
    latencyMs: integer('latency_ms'),
    tokensIn: integer('tokens_in'),
    tokensOut: integer('tokens_out'),
    /** taken | vetoed | fallback | skipped */
    outcome: text('outcome').notNull(),
    outcomeReason: text('outcome_reason'),
    positionId: integer('position_id'),
    pnlKrw: real('pnl_krw'),
  },
  (t) => [index('adviser_at_idx').on(t.at)],
);

/** The bot's own log of notable things (the dashboard's log viewer and discrepancy list). */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    level: text('level', { enum: ['debug', 'info', 'warn', 'error'] }).notNull(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    dataJson: text('data_json'),
  },
  (t) => [index('events_at_idx').on(t.at), index('events_level_idx').on(t.level, t.at)],
);

/** Small persisted settings of the running bot: state (running/paused/halted), heartbeat, … */
export const botState = sqliteTable('bot_state', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Notifications waiting to be delivered; a slow channel never blocks trading, nothing is sent twice. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    createdAt: createdAt(),
    channel: text('channel').notNull(),
    eventType: text('event_type').notNull(),
    payloadJson: text('payload_json').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    sentAt: integer('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

/** Balances of the paper exchange, so a restart keeps them. */
export const paperBalances = sqliteTable('paper_balances', {
  currency: text('currency').primaryKey(),
  free: real('free').notNull(),
  locked: real('locked').notNull().default(0),
  avgBuyPrice: real('avg_buy_price').notNull().default(0),
  updatedAt: integer('updated_at').notNull().default(sql`0`),
});

/** Orders of the paper exchange (the whole Order, fills included, as JSON), so lookups survive a restart. */
export const paperOrders = sqliteTable(
  'paper_orders',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    market: text('market').notNull(),
    state: text('state', { enum: ['open', 'done', 'cancelled'] }).notNull(),
    orderJson: text('order_json').notNull(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('paper_orders_identifier_uq').on(t.identifier), index('paper_orders_state_idx').on(t.state, t.market)],
);

/**
 * The mode this database belongs to, one row: paper, live and demo never share a database (a paper position
 * reconciled against the real account could sell the owner's coins). Written at the first start; see db/db-mode.ts.
 */
export const databaseMode = sqliteTable(
  'database_mode',
  {
    id: integer('id').primaryKey().default(1),
    mode: text('mode', { enum: ['paper', 'live', 'demo'] }).notNull(),
    stampedAt: integer('stamped_at').notNull(),
  },
  (t) => [check('database_mode_one_row', sql`${t.id} = 1`), check('database_mode_mode', sql`${t.mode} IN ('paper', 'live', 'demo')`)],
);
