from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "outbox_event" (
    "id" UUID NOT NULL PRIMARY KEY,
    "type" VARCHAR(64) NOT NULL,
    "user_id" VARCHAR(255),
    "occurred_at" TIMESTAMPTZ NOT NULL,
    "payload" JSONB NOT NULL,
    "processed_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_outbox_even_process_7055bc" ON "outbox_event" ("processed_at", "occurred_at");
COMMENT ON TABLE "outbox_event" IS 'One domain event. ``processed_at`` is set, once, by the relay that handed';
        CREATE TABLE IF NOT EXISTS "notification_endpoint" (
    "id" UUID NOT NULL PRIMARY KEY,
    "url" VARCHAR(2048) NOT NULL,
    "events" JSONB NOT NULL,
    "secret" VARCHAR(128) NOT NULL,
    "enabled" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
        CREATE TABLE IF NOT EXISTS "notification_delivery" (
    "id" UUID NOT NULL PRIMARY KEY,
    "event_id" UUID NOT NULL,
    "event_type" VARCHAR(64) NOT NULL,
    "payload" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "last_response_status" INT,
    "next_attempt_at" TIMESTAMPTZ,
    "locked_until" TIMESTAMPTZ,
    "retry_from" TIMESTAMPTZ NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "endpoint_id" UUID NOT NULL REFERENCES "notification_endpoint" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_notificatio_event_i_aa8b9a" UNIQUE ("event_id", "endpoint_id")
);
CREATE INDEX IF NOT EXISTS "idx_notificatio_status_8c51a7" ON "notification_delivery" ("status", "next_attempt_at");
CREATE INDEX IF NOT EXISTS "idx_notificatio_created_cb59d3" ON "notification_delivery" ("created_at", "id");
COMMENT ON COLUMN "notification_delivery"."status" IS 'PENDING: PENDING\nDELIVERED: DELIVERED\nFAILED: FAILED';
COMMENT ON TABLE "notification_delivery" IS 'An event for an endpoint. ``payload`` holds the exact body bytes, fixed at';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "outbox_event";
        DROP TABLE IF EXISTS "notification_delivery";
        DROP TABLE IF EXISTS "notification_endpoint";"""


MODELS_STATE = (
    "eJztXf9z2rgS/1c0+eXSeTmmTZu2r3f3ZgihPe5SyCPkvrzjxghbJJoYibPlpMxd//e3km"
    "2QvxFMgBiiXxKQtLLYXUu7n11Jfx+MuUNcv3bhYnbwAf19wPCYwIdE+RE6wJPJvFQWCDx0"
    "VcNJ3GLoCw/bAspG2PUJFDnEtz06EZTLvg/qyCeuK+mQJKqhweCWTAcDRH0kbgjyVZ/Ixg"
    "K7/BpRBx2OPAIdTTwypsH4CNVqtRffyYc53IanUXa9xn77bDCQnU6IdUc8HwYNXcifdOsj"
    "Knx0qerQhcedwBY1OYyA0b8CYgl+TeBBHgzmjz+hmDKHfCF+/HVya40ocZ0Ef2GEsgdVYY"
    "npRBU2brD3UTWVv3Fo2dwNxkxrPpmKG85m7WG4svSaMOJhQRyN9ywIWaIVhaOFAuEFZDZM"
    "Z17gkBEOXClBSR0OYV52YFntTs+6bPYs6yAj3ZhCE0xUZHMmNYMy4SsOjPEXyyXsWtzA17"
    "dvvobPmTMibCUf+Eu92/ix3j18++aFfCAHWYQ6145qjlXVV9UFSDfsRPF9zmjbI5I1FhZZ"
    "fp9BjaBjks/zJGWK9U5EWos/rCKIuGAuifmrsw1RwA90OsydRiqwQBS91ufmZa/++UI+bu"
    "z7f7mKf/VeU9Ycq9JpqvTwbUpss07Qr63ej0h+Rf/rtJuKvdwX15564rxd738Hckw4ENxi"
    "/N7CjqatcWnMNWg5l3owcVaUepLSSL0qUo95pIk9Gv1c6snpOyv5U3rdYiJf7lnalOyBf0"
    "tIO1LOygj7Wg7i238fH79+/e745eu370/evHt38v7le2irBpyterdAI05bn1rtXlLAsuBr"
    "Qg7qf4nVLW6/nuXtqVmeWOCOX75cYoWDVoVLnKpL8lcfWYbNPfKlQMVTZCtxu2L6vWjyav"
    "7WS8xbMUsPP9d/e5GYu8477U9xc00EjfPOaYrzMGHRfLYXTiw6yUpTykoK/nKzE8rxqzfv"
    "3rx//fbNbB6ZlSyaPrJTBTwNu5aDp34JliaJDFPTTLUDzyPMLuVh6DTbm4cPAj8eyoYn4t"
    "dLTMOvCyfh1+kp2KVjcAqzDP7pstPOZ/CcIm1UUlugf5BL/Y0p7sH3o4DZkoFoGFBXUObX"
    "5PP+syneL2C25NDieTk9BacMRdlBel4egasWyPoSAtFpjEjWLhIMP+4uxww85dwlmOXLZE"
    "6UksgQqDYlihj+2C7TTzud8wTTT1tpA+Tq82mze/hKSQAaUVFgb0s4qySjY5ItsnlWsrN8"
    "jnzESQgBWtQps8DmEq/FBq8Qnnd8crKMu3NyUuzuyLqvXyVwOrrVED1ZMMT27T32HCtRo1"
    "nnHrXz1oDTiO7jz13i4gJjXEO8L2Q/O+h6fo11Li49yANJguGs80fy6lLrap/YJXWNH/Mi"
    "7ctWjY/H6RLM8LX6SfLZ8kkZ/SoIt8yUb3HMxZrM2j0YeekwMg9fABXiI4SjYEmLhWsu8v"
    "i9L2MlU+RzJG6wQOQL2COSgSluPra/Pot0cEg8H4EBhBniroPULwIS6roIDAvuQi9C0hLq"
    "hb0vF3T5I2RQOMOCWIl3h9WqFlkXfxZGZfJm9Kur1ln+jJ47hQcBdWqSZjORGc1sVE+Sf9"
    "48hc0YOkwh2Kubguqnm5DM8wLnTUjmOUrdhGR2JySjL4PLeiw6zR6GZt4v4am8L/RT3qcR"
    "QTzmAcuZ2wrVe06wPQR783r9DEHsrWnsmjFsg9BtHzkCD2dV3GhOundpYGuDjRIhGs5vg4"
    "lVMtMuSbUPMfItJCRo/vayfNZI9nCmXk9eYwYETXI8y+6P3CP0mv1MporpLRghZnbebJ3K"
    "790xZhchd1Ds4fsZsKMrGfx2+MUknKC74NZ0Ww2YpYth5U2CgI3AF3yswKsMBjirO1oEAd"
    "p6qwcBwOYXqHaniDOCJsRDgU+8Dyo5OpQoGgxkEbBqMEA+EcIlPsIIOiVoSMQ9IQzhDAy4"
    "ll77TLb5xkcj6vkCiXuOPALEvvDR4ZCLG/iK7ZsYb7ynUKKyuoFriDpkPOFCmnx9BlP2kc"
    "Qao5YhVuSr0cXcQoLzF49N3TYgoQEJDVxkQEIj9XWBhNEqUcZ81EiMN7SMNxS5kfFKuJoT"
    "mqI2nF+G82SMaSncdUawf97n6+NlvE9oVYxiHb8smR+y0Wg+no6Jcj+ysfyoaqEZP9EaPW"
    "TFF7M8x5j9Q58hNTNZARt/ZgLmWmPNfIJmiSrwJkXgpxsZQ9kYysZkMoaykbqJpj+TaHoV"
    "HJanZvzWXJbIRrJkOgJbNes6rw/jviwjBZPXYPIadiyvQSmg5REw7h2SM108oLoJSrO7NJ"
    "vLEHuBWfVtsmCcCT2mJuSYusqKfNBt/veq1W1eWhf13z832z3rc7P3Y+fsgwpOUbDoZkvK"
    "GHxu7vTZjKLRaX9sdT/Xe61OW2sPUhlRb6y2VGit641UO2yHLS66nUbz8rLV/vQBTTxuE9"
    "9XufOXV41Gs3nWhLH4gW0TAoraZx/rrXNZNMLUld8b9XajqUpsKQZVdlHv9lr18/PfrW7z"
    "41VbdTHBnqDYdaczpZdji2v1F6E81LMU0rMA6Cl17EHx5LmHxx4kOX2yVErHyYKUjpNsSo"
    "dUpMAjoN6+j69zssSKz5nIId0Hpm/7rAmH+pNA5K1fCxP0dDKzu7N8jh5ld3zlLL0ksdnd"
    "uYR/kQanSzA9h3QfJpotMD1KsbEcek38HOeumOdZyv1j+Yay95bZwhxaXI/cl9tVnVTHmn"
    "50Xt9Gd+RG3MoJ4c35WBzB8+Zt1hrAy+5pjSGsTJTOBOBMAK6a7/OOhmJMAO45St0E4HYn"
    "ABfxMlx8V3PVErQmFGRCQSYUVAHXa82hIFiJ/HJo8Zxi//za9UPyi2JBRbPvLsR/KsNgg4"
    "49wTqXdLWX9Z+TVOv0o6uByqzgNi/awDrPfH7sHtZ5T7vJ2Ie3sSY0q1I7WRNHAOZAaOkj"
    "AouBND/dcrNwWqmMdwOxGYitonPIjoItBmJ7jlI3ENvuQGwmx32LOe668bManJnTgwE1d3"
    "tj9LPR/kodi/YcuP4MErjBK66fq+RpdVuUSp2Wuda/ND+g8AxDmRB92bPOrpoyDVqmNAVQ"
    "dtW+qLfOPqCATTAtSKRutRudzxfnzR5QUmbz8US643q51fztotWVVPN6i3yZUC9MxL66DJ"
    "OvYcWsSHJ1GFcQ1oR4lDsWSNkr72wV9LGHBvjuGtxZPyslNsJyJuJSgo96MGKvttjVfAY+"
    "8kLBL8w1L+rC5J2XyDuP15VV0K0k6RpeuIq5vvv0vhG5k2oFIet0RsJVlnB4L+kK62eC0M"
    "i4yjI2Rx2bo44rGSOu6FHHV3ILaEOmAeYfd5yoP1oUIA5kS2DEvOmD5x7/Kq8dw+pgYvnH"
    "CS8qiy5+BddcHQ48pK6EB1BowtbS7vhKnfRZX6omNB5O1XHFYfk36kY0T6hzijFi5D6qQN"
    "SPvnv8Hh1KCuy6/F6qdJ8pGmgg0MsXCDNHHqJMQOCyf/C7yD12EYjfUZepzQ5Hhp5AGlzc"
    "yHFRv8/IHfwCmAqJkKMGepvUwjOa5QHNnLlTZN9gdk186MTjwXV40jKonqNuMMdunw0GVx"
    "dyHka1Wg2Bbocc+SH89y/0F/r1x2a3Of/6/Q9IXXw8GBQdu5yIt0dcVW+xDiKkT6wz8fgn"
    "jceb2NA2cFrtZViWy/r7s39cXo+pkbDmHoF2GpRzpwz3GGpfPpsgptibI4C2kEFQYtPzxq"
    "3OLrG5l7uxV69ewub05i2Xums3tFEdsK1k41v1NLCwbDDp0KHcdyStI/nNRy7BdwSsNEZe"
    "ZC3PR/QlDVDwiYgnaalmFUIvzA/PGELYjww8ZVKDcRrmTX2n3eHRZ4dy5T7Sr9pAt2T6Ao"
    "3xbXidB5moFDtZGnYFpqQNnAFzk6H7G6Ie3mdhO19d/1FDIfOBHkzoWzIJLWLoISyB143D"
    "MiZHDu8CZVQQd7qUAVnqqOOF1qYxL415WRXDx5iXu2le/hVgJqjI2bZTaHToJGbTZE64zJ"
    "jsz8ZkN5vfnmBZMHstirm/m1n3RXstKuKr/UqGN5zfNu8KLlJJ1C/01u7Dlha5W/ZOFeVi"
    "XYYXBiqqGurp9xdGWaaqKrzHkPrg02ARuT8wBHpHvGmu67aGfvuMhJcsfit9qg/gbjnBxK"
    "U2vDPI5T4JHTiqHD0VGZAaGhb6gksPigfC5vDaFThPGfcoc8eL8Yae2BtK6UqZVTCH1GwK"
    "WGYRVOwpwei4/aa8oqdj76ulDhd+teBw4VfZw4XxhBZv8Crmcops/wy69Xug8SSe4fIi4F"
    "sj2pQLulWFfpL9c3IBlzZKDusXpdTqZCaNtkQa7QRPXY5zNP2ny067AA6Yk6S9FWoL9A9y"
    "qb+LkMsChktmJBieOak8fSh5ymCRHaRPKt+9DUXgydkE3rRYJ0rcC9Fotn4J70YIe5jd1K"
    "B29IQXNahNQp/anXAH0DXjXvaOhrTLsNRi/HaZtTjtRmpL8dvMSiwEGU9EjvCKD3XTSPYm"
    "NLo2eNKVO8mI53Evy9LiKxOSVPtg2CzCRjZxW0L8Oq6AW6VIDXBVdeAqsezHM+4Kgk/Tms"
    "z7qkUDKgJRdgIx5F8KEUq9+mgRQMlVw7L4pMPHINAYRxwMdLUNkUOfiKMo6yLKN/aIi+Un"
    "LNANzrvCaX099xkVSHDZizdFTuDJX4ui8yiGxEOHjAs6kqAl/Cgfmjp4+h0CJ9OhMqtZ5j"
    "MH8LHPXHivvBcPpKtQD9174AX4S0Oa6dec22q/qjk8vwLgZtWAtr0Cf54gj6Zi698WoGJ9"
    "Nilpf6RI99Dw3HX7wwBMlQCYjJG/zy9ZRYz8tmalnsVx/RxrP7fdQrNft38tPWXgYfu/Hl"
    "nnaMQ9MJURYc6E08haD2cXMNRvuBtF/VW6ABpyZwr2OhjJR2hEQSVRqPsJB2B9XffZCLNv"
    "wblRWdyhH+ARAX/DlAQfukbyjz837FUXNVRX5eAk2C6mY7/PlIvB76W3Ab6HkHsXBwOX27"
    "fwAgdMUBfGdIhlrruv8iFsD/s3xIm6+cYPO5J5E/KwJT/cLxk+G4+EfBAfj2nYsUp+l82L"
    "U8v10HnMoJyk8jmGDQ8WVgSRzk4UTmZGUZNT8dRuR3EyRTGvF2RRPM/T3ROHmyjmlPXmkl"
    "TGp1tmx2KRFVocXCi2QneTxdsOLexgePOi2T5rtT+VjW5GZB9Q9KHPzprnrV+aKo45+ziP"
    "ZIb/TSRzfyOZMONP4DHEKnoJCplbRL5HJ3KvjdVpozHD5cUubg658XKr5uUmXi3Nnykr7D"
    "StkXSVJa3cYGvk8XFZOScpDTZcaTGbTVPFa+X+5p7EgFBZICFJZrCExef/zWC3DItLnwGo"
    "Q7dNrdvdZPODZwKmFC1xLmCjftmonzWf6ljAXEk8ALbrElsSbNd1Z6MXyhk892lPDPFy7O"
    "gFWQ5enum8m2hYKsXh5Zv3y+Q4QLPiJAdVmYPv5rj/xbHvOcX2Q9+aSg8D6grK/Jp83lNo"
    "9WZ2XBCwG3NWxAVbQWcUe6j1r46XUXpoVYwnHmdVnsnfXvZKBI1qi9u34kl9Z3dvGQeqWN"
    "X3y4Eqke0xV48oaYKSnCXoNKL9+HOXuDi+PvhhB0DP3dgxlShyAL5u0mSvA//tm4McIz2q"
    "WWiW43mbytjhhbGLXDM8x1eMdPxx9nfl4xTFZvcKe/gfu3+/aq/iFjKM5UtVgsNR8z3k7k"
    "bOooAnCpKHLhW7NhqJSest6cU8abLn1/8DkdPmOQ=="
)
