from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "plan" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT,
    "position" INT NOT NULL,
    "trial_days" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "limits" JSONB NOT NULL,
    "features" JSONB NOT NULL,
    "active" BOOL NOT NULL,
    "stripe_product_id" VARCHAR(255) UNIQUE
);
COMMENT ON TABLE "plan" IS 'A sellable plan. ``key`` is the stable catalog id (free, premium, ...).';
CREATE TABLE IF NOT EXISTS "plan_price" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "interval" VARCHAR(8) NOT NULL,
    "amount" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "active" BOOL NOT NULL,
    "stripe_price_id" VARCHAR(255) NOT NULL UNIQUE,
    "lookup_key" VARCHAR(200),
    "plan_id" VARCHAR(64) NOT NULL REFERENCES "plan" ("key") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_plan_price_plan_id_40edf7" ON "plan_price" ("plan_id", "interval", "active");
COMMENT ON TABLE "plan_price" IS 'One Stripe Price of a plan. Inactive rows stay so that existing';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztWmtz2jgU/SsaPiUzWSbhkdCdnZ2BlLZsE8gQsttpt+MIW4AmsuTachKmy39fSbax/K"
    "KQAkkJX9pwda8e50rHV8f+XrKZhYhXviKQln4H30sU2kj8kbAfgRJ0nNgqDRwOiXJ0Io+h"
    "x11ocmEbQeIhYbKQZ7rY4ZjJvktN4CFCZByQQWVwe3uHpre3AHuATxDwVJ/AhBwSNgbYAg"
    "cjF4mOHBfZ2LePQLlcPizLwSxmitEwHa+5X5/ibz4yOBsjEemK3r98FWZMLfSIvOinc2eM"
    "MCJWAjAxpOxBNRh86ijj+QS675SrnPTQMBnxbaq5O1M+YXTuLxYlrWNEkQs5sjQwqR+sUT"
    "MFsxUG7vpoPk0rNlhoBH0iUyKjgynEtpJhdHsD47o9MIxSJl1RhIZ0aDIZlanGlHsKARs+"
    "GgTRMZ+In6e1WTBODETgJQf8u9k//9DsH5zWDuWATOyXYBN1w5aKapqpLkS6gk4U7jHQpo"
    "skNAbkWbzfihaObZSPeTIyBb0VhpajP56SiMgQZyI+C9tIhVig1aNkGm6BBakYdC7b14Pm"
    "5ZUczva8b0Th1xy0ZUtFWacp68FpKm3zTsA/ncEHIH+Cz71uW8HLPD521Yix3+BzSc4J+p"
    "wZlD0Y0NJ2a2SNUBOecdZ9x3pi1pOR+6y/lKxHGGlpD2cfZ139vwKrRv7rodXnzmuCWCvH"
    "x0swq/AqpFbVNkvgq88sA/MAPfJ8mFNhT0I7PPQvBexFh6b9aZA4LxGkB5fNT4eJM3PR67"
    "6P3LUUnF/0WinkxUHB+bB3aAHqekgKcrGKTW3w403t7rGcwW+Vk9pZrVE9rTWEi5rl3HK2"
    "ICed7iAFqBgNEsOCU28FSJNBe1DToJq+6yJqrlTZ6jHb4+GS70VT2TARV5eg4WohCVfTFE"
    "ywjXnOnv3rutfNBziOSBcz2OTgP0Cwt7GNW/pj5FNTAgiGPiYcU68sx/tzU9gvAFsitJiX"
    "0xScKlBkB2leHokrgi/bV0iIHrNPydpTAsXi7nPKwBZjBEGan5M4KJWRoYjaVCqia/d2QW"
    "/1ehcJ0FuddAFyc9lq9w9OVAaEE+Yon+/lJBxkOC6zfJMb2FqF+HOD11IbviB9o1KvL1OG"
    "1+vFZbhsm82kkDS60xQOaRhC8+4BupaRaNGqRhebedzUCuPefewjAguKRE3Su5L9/IJXol"
    "m05yJruBcUmqzCiuDMNtkVO22BFI7VkuTYcqQMYAUC6RzNxSqp4cz9fqiV9igC1+o8AdU7"
    "YCMAQ3mzQwNyAy578KS6OQUeA3wCOUCPgvglgCk0f7a/f6nnD+UEh8j1gHjSQAoYsYBakQ"
    "jBhADB4IyIXriMRdgNel9OVf0SABRQhkgrcu+hYumQxr8Wyq55FHVz03mbT1G5nOT72CrL"
    "mM1Ir9rzWY0k/6k9x8M5qEwDNUd/5qql7zXX16W+7TXX15j1ZTTXsIy7F0yfq0+18LhQT8"
    "nGPklTeWHaYKiqvKlUqtWzynH1tFGvnZ3VG8dzeSXbtEhnaXXey9I7keBsLa4/BpctwfWY"
    "HdTAG0uU3o3CwruRll6gzXyaw22F2zsO2J5UuPl9/QrVwq3t2DWLhXspZPtSiLjhPFUIiU"
    "N37juPtekgCS2csTvfMVb8lCYZtQsvI7fw5le7by+Lsxayg0y9ng+XMqpeEvEs3O+Yi/CY"
    "fkRTBXpHzBBSM4+tU1/k/WJgFyl3wuzCh7mwo28ysXaxYhQQdF9ca/qdc8HSxTrpJkXAJh"
    "JsPinlKIBhy9Ei+Q/GPj+S/ooR/YmPE/MOemGVm3vEcyrcMH0v94G1lvK2WBQrvCEXU2jx"
    "xXgXKHQjNYE8VCsgHLrvILonS5UBJwvKgJNsGSBG5CjvDlz8tlsL2f7L7uf5Amxtr7VXeO"
    "m3/ofZ7H+PvlLl"
)
