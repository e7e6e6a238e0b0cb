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
        DROP TABLE IF EXISTS "notification_delivery";
        DROP TABLE IF EXISTS "notification_endpoint";
        DROP TABLE IF EXISTS "outbox_event";"""


MODELS_STATE = (
    "eJztXVtz2ziy/isov4xdx6NKHOeynt1TpdjKjHYc2ceXmdkdTVEQCVksU4BCgnFUu/nvpx"
    "skxbtMypJMyXhJLBANkt0g0P11o/s/exNhMcdrXTqU752Q/+xxOmHwR6r9kOzR6TRuxQZJ"
    "h47qOI16DD3pUlNC24g6HoMmi3mma0+lLXDsvTbxmOMgHUGiFhkM7tlsMCC2R+SYEU+NSU"
    "wqqSPuiG2R/ZHLYKCpyya2PzkkrVbr4Ce8mSVMuJvN71Y4bp8PBjjolBlfmevBQ8MQ+Er3"
    "HrGlR67VNXLpCss3ZQsfw+f2F58ZUtwxuJELD/PnX9Bsc4t9Y170c3pvjGzmWCn+whPiCO"
    "qCIWdT1Xg6pu4n1RXfcWiYwvEnPNF9OpNjwef94XGx9Y5x5lLJrATvuR+wJNEUPC00SNdn"
    "88e04gaLjajvoASROniEuG3PMHoXN8Z158Yw9nLSjSgSggmbTMFxZthceooDE/rNcBi/k2"
    "P4+e74e3CfmBFBL7zhb+2r01/aV/vvjg/whgJkEcy5XnjlSF36roYA6QaDKL7HjDZdhqwx"
    "qMzz+wyuSHvCinmepsyw3gpJW9EfywgiaoglEX86mxAFvKB1wZ1ZOAUWiOKm+7lzfdP+fI"
    "m3m3jeF0fxr33TwStHqnWWad1/lxHbfBDye/fmF4I/yb8veh3FXuHJO1fdMe538+89fCbq"
    "S2Fw8WBQKzFbo9aIa9Azlro/tZaUeppSS70pUo94lBB7+PSx1NPLd17yH+27LpfFcs/TZm"
    "QP/Ksg7XByNkbYd/gQP/7t6OjNm/dHr968+/D2+P37tx9efYC+6oHzl94vmBEfuz93ezdp"
    "AWPD95Qc1P81dreo/2q2t+dmeWqDO3r1qsIOB71Ktzh1Lc3f5JPl2HzDvpVM8QzZUtxu2P"
    "xetHh1/rhJrVsRS/c/t/84SK1d5xe9n6PuCRGcnl98zHAeFiy7mO2lC0uSZKklZakJ/mq9"
    "C8rR6+P3xx/evDueryPzlkXLR36pgLtRx7DozKvB0jSRZmqWqabvuoybtSyMJM3m1uE934"
    "seZc0L8ZsKy/Cb0kX4TXYJduwJGIV5Bv/z+qJXzOCYIqtU2qYk/yWO7a1t4u79feRzExlI"
    "hr7tSJt7Lbzf/66L9wuYjRxavC5nl+CMoogDZNflEZhqPl6vIZAkjRbJykVC4eW+FqiBH4"
    "VwGOXFMomJMhIZAtW6RBHBH5tl+seLi/MU0z92swrI7eePnav910oC0MmWJfo2wlk1GR2R"
    "bJDN85at5XNoI04DCNCwrTobbCHxSnTwBuF5R2/fVjF33r4tN3fw2vfvCJyO7hOIHjYMqX"
    "n/QF3LSF1JaOeubRbtAR9Duk+/XjGHlijjCcT7EsfZQtPzezTnota9ApDEHDPzXvjS8JiH"
    "UMcT+XUaDncdjLarXPP84XzwJ3LsOjHULrELv1BxJMq+2fylydEk20I5vVOvhPfGO+W+yh"
    "In1fyTXeypMqbzfo/6qy44i50+QEXEiFDlYvrBI+EyfkgexiC6r8xVPqJ7kMkJdLKoNx4K"
    "eGvie8zNeaxWNnKfT+iMUMsiD4zdOzMiXCI4+xGhaRKshjiObY4JdRmZ2K4rXGaBxikJV2"
    "N7wrHIvscYur9grnrUYYPBQYt0eaCLEVc8eOhDm0FfIuGZCPsGeiq8Cgk/iiFzPbgtoZzA"
    "aH2ubgwktuMQUBCFA6NIpGW2G7joqjnP/gxEFuyUMNGY+5Uq7STUEv8q9a4V7cy3t92z4p"
    "25cCv2fdtqIc16PGwJ9V/dCf85fg7dPzB8A9A+qdKrV9eutZflZNGutZcode1a2x7XmmJZ"
    "jvvlVmfUf4OQrssQS0bWrYvzKZPz9bsKFufr7KcTG5x4Kc3jpKpRlc9Jmh10Y36owOMPpS"
    "z+UMZhYKDPC/aR0qUkT7ixpeT1eteRlTl/6KQmT2OCzXnS1r8uv0Bn2sZWgxX70rSnYPMI"
    "Nljoy+LXMenOhaOuDL5OuYqFuPenRs2I3zTVLsTqbCAwKoEXVeVzgmQHV+rVxFfnnDFpju"
    "fZ/Um4zL7jv7KZYnoXnpBys2i1zpwz2DJml2Hh0OzShzkwmZxk8O7wxixYoK/ALL/qnsIq"
    "Xe7eWiesnnXeFIDrBf6dcog961uqBrS3SdK7QqJBSDhIK4efP0bQ5wrNnjJueI6QgwEZC2"
    "CHOg2CsDmeAQE6/Ck4i8gSlz0SaHDSmfX5mMLkssg+8g7JEDefEYGgNYLjBycKoA+mJFET"
    "EQdA9J5M6D3zSH+Pyj6fCE+q2+FzlbzAFIZUuP6eemIYBLrKB0GAwx4BLrLDPn+w4QuCzp"
    "Q4wrwnY5A0oaYrPA+aQreCSR2nRdr4fAFm7+Dd8TmRIegScFifBxC9eh6bR6Tw7Ozb1EY3"
    "Ab4iI8OZ4gxn32T8pGI0Z1cZmv/nHl6N4HuLTaZColKs9rS/clh/ojOsFtL3NL6v8f2mLv"
    "xbivRqfP8lSl3j+9uD7yd2waoWTIJkBy2YtZjk4YwNFb/lgJA0sYZCavC9UfDT7s927c9a"
    "tz8rNFgK+dvh/iSHgmSmdkS9QS8tWn01zZG9i8tO70TZi31+evH58rxz0zkhpphMEdDo88"
    "4fl92rztlJZEBmDffncef6bq2ZH3bfRcT1uMq0x24LMNfj3OQPhO0tYTCkKXfQYNheAyFv"
    "F0ZqTwK4WlJxyo+wgx/bOjZyl8GbetKw7DvmFXxt5azPU+7gpr6qZDJJnDGNWtZRoPKkep"
    "ZXmuVz3L4Ou1NE+lRVBTZrX6n2lWpfaQ1fqe9JMVGurbyTNLp2uNA7muz1qFe08w0u45Ee"
    "zuZ+wZPA6Ra4GgeDEPkbDIjHpHQYOgDRSUiGTD4wxgnNuU5XMmqfY58fPDKyXU8qB2WoYH"
    "hkfyjkGH5Scxx5FNFhGWTiA66RxMbY57AzHuK5oshtqfxGnnq6iFtECnHw1HR72mGoHYba"
    "daQdhlrqq3IYNsFRtesqegiYRDvhcnBLhlpzvgrn2YTatVDjOcHuGflvjqpE6kKv8oj/o1"
    "c1c3qsU5E/86eObYIwUokYCrT64o4LVXwrIkmhnNUUfswKkA4LRDvQYRah3AKNGvRDjEMc"
    "MpPCShpHK1IHd5kZGVPsmdP4VzNsnwvHglYHUwKAet4iV8wUbkA5AhM2ET6IwYfMSlkVc7"
    "6A+o9JCzAsMoijdKDRxb+5JHSIoYW2BLuCY/QhjIUBjDZMTngUlSXBVIkH6B3M1cpZBBL7"
    "TkLP1NGF2ljQaqM2FrTUX4ax8NzSXb/Ses+m0ni6m/aRYbQ0qkkjoQo+WSRVxtKGXTWTeu"
    "sitaaMW/Wzaexddnpn3d7PJySk7/OrzvXF+W8YnxVm5QJV/FO7e44tIzBfmxKwFYV60tkE"
    "rAIDQxH5stk2i8bYPRN9nehTYCEux/4UrWZ7xSCfwCI3aifyKKDUufEbkc6j0bN4xdk8GO"
    "aYzHO3vCzJnGAXWLvIaFtHQZJoJ1/CoM6QrsCi3iJZNNuADnCThuDll4EOtVeUeTe8dLgw"
    "726i02MgeLlsV3rAPAkDH5Kis+eHGivWWPFWIBnbiRpqrPglSr0KVqxPouuT6E1h/OZORD"
    "cK63pxqLDOmboDIEvjmLrWnKlqAhoR5Fd76qYoNUqYz5O6bW6i+hN576rzf7fdq861cdn+"
    "1+dO78b43Ln55UK5h7746mB2tKVMwOYWFnqQQorTi96n7tXn9k33opfoD1IZ2e5EFUBK9G"
    "6fZvpRM+hxeXVx2rm+DtxUrjAxpQp6qq5vT087nTN0THm+aTJm5X1VfX7a7p12VEsU0gYj"
    "tq9uuu3z838ZV51Ptz01xJS60qaOM5tPeny26GryQ6gfGlkpMnJBYGSt0s4LHMS7V9o5ze"
    "m3ldLFvl2QLvZtPl0sTiTfZTC9PY/eFWSgLgetC0h3gembhq8t25v6smj/Wpj8O0mmK1jW"
    "z/9t869i6RRMaWJ91rpKBiadR+AFZstoNMvXdNq93EWVjXB4YhXNKzVIc7Tpugv9Zutnht"
    "wqcOHFfCz34Llxn5U68HIuujmEpQ9raAfclnzPW+qK0Q64lyh17YDbHgdcI+JvtStIu4K0"
    "K6jRriDYibx6aHFMsXt27eoh+UW+oLLVdxv8P41hsEbHniP9Y8rUrmo/p6lWaUc3A5VZwm"
    "zOQWA5HucZXD/nYzzSdjL28bSPqZnVqMyPj+WJqZ4epnZSmKfBabUi3jXEpiG2hq4hWwq2"
    "aIjtJUpdQ2zbA7HpGPdNVltrTOWQFwdqeo1NJPpiZr+ueafz/Kw6gBus4va5Cp4GflNHhU"
    "5jrPVvnROVKfMrw4Do6xvj7LaDYdAY0uRD223vst09OyE+n1K7JJC624srvNk8rvEWtxvz"
    "cm/xdSOs/Ib3vb0Ogq9hx2xIcHVY1N2YMtcWlgFSdusbWyVj7KACvr0Kd97OyoiN8YKFuJ"
    "bgwxG02JstdrWegY28UPALY83LhtBx5zXizqN9ZRl0K02q09Q0+XtjQf6x+pVAE3Rawk2W"
    "sNI0l9k/U4Raxk2WsS4NqEsDNtJH3NDSgLd4BPQUwwCLywOmrh8uchD72BMYEXd9tGzI72"
    "MqCQ1qdqCprcpkkBGj0ncZmOaqmN7QdhAeIIEK28qa40sN0ud9nJpYAWSman0E7T94RBnF"
    "qq4fJZw9hBewNEjwG4t67CMFdRzxgFO6zxUNdJDk1YGqTEKJy0DgOD7YXeyBOgTEb2FxwL"
    "iYIIwE0hByjM9le32ORUUwvTGT+NRAb7JWUNMQCxoK7syIOab8jnkwiCv8u6AyIUw9y0aO"
    "UqfPB4PbS1yHSavVIjC3A478I/jvf8gX8vsvnatO/PPv/yCOPbHlYFBWkiTlbw+5qr7iJI"
    "iQzVin/fHP6o/XvqFN4LSJj6Eql5Pfz+5xefVFzJ+CdmqUc6sU9whqrx5NEFHsTAqgDUQQ"
    "1Dj0vHatM6jCVqp0hpcr6Jxu3LNSpbpAR7VAt8LO9+puoGFh7Teyj+eOUDvCXx5xGP3KQE"
    "vj7CCveT5hLFRAwSZiLtLaCa0QRuFekGOIUC9U8JRKDcppEDf1U6I6XZ/v4859mCxNTe7Z"
    "7IAEheqUJqpC7LA1GApUSRM4g3XryMOYqZv3edDPU+Wyowp5QA8qNBbVURoxjBC0wOcmYB"
    "vDJ4dvwea2ZM6skgJZK9XxQm1Tq5davWyK4qPVy+1UL7/4lEtbFhzbKVU6kiT60GSBu0yr"
    "7C9GZdeH355hW9BnLcq5v51R92VnLRpiq/3OhmMh7jtfSwqppK4vtNYegp4G+1q1pooysa"
    "6D6tyKqkVu4srcg0EYZaougXoJhpftgU1DZWj+wCPYWKq70HRbwbh9zr7B8zuzH9GmOgFz"
    "K64W7giPBQacrQy9sGY5tYJGTwq0oIQvTQGfXYnxlDOPcjVetDX0zNZQZq7U2QULSPWhgC"
    "qboGJPDUZH/ddlFT0fe19XSi78ekFy4df55MJ0apcf8CrncoZs9xS61Vug0SKe4/Ii4DtB"
    "tC4TdKMT+lnOz+EGjjpKAesXhdQmyXQYbY0w2imdOYIWzPR/Xl/0SuCAmCRrrdimJP8lju"
    "1tI+SygOHIjBTDc5nKs0nJMwoLDpDNVL59B4rAkjMZfGnRnKhRF+K00w3rhAcjzCs1qBM9"
    "QaEGdUjo595FcALojgu3qfXEqZRsMpUFwitP6pYg2RnX6MrgSQdPktWu85um2gXFZhE2sp"
    "5iv8HnuFSx3xSpBq6aDlyltv1oxV1C8FlaHXnfNG9AQyDKC18OxbdShDJ5+XARQClUx7r4"
    "pCUmINAIRxwMktM2QA49Jg/DqIsw3thlDsW/qCRjWlTCaXUj97ktiRQ4ijsjlu/i25IwH8"
    "WQuWSfC2mPELSEl/Kgq0VnPxEwMi0bo5oxntmHP/vcge/KPXgkXMV2yYMLVoBXGdLMfubC"
    "VOdVdfL8BoCbTQPadgr8eYY4mobtfxuAipOrSU39I0O6g4rntusfGmBqBMCklfxd/sgaou"
    "T3ElrqWeTXL9D2C/stVPuT+q+RDBl4XP9vh9o5GQkXVGXCuDUVdqitB6sLKOpj4YRefxUu"
    "QIbCmoG+DkryIRnZMCVJMPdTBsDqhu7zEeU/gnGjorgDO8BlEv4NQhI8GJrgP16s2KshWq"
    "St2sFIMB1qT7w+VyaGeEBrA2wPiWcXBwNHmPfwAftc2g480z7FWHdPxUOYLvXGzAqH+cEL"
    "BsK4CUy25AXnJYN705HEG4nJxA4GVsHv2L08tDzpOo8YVBBUHmPYcGNphBDpPKNwOjLK1j"
    "EVz212lAdTlPN6QRTFy8zunkpuophT15pLU2mbrsqJxTIttNy5UK6FbieLN+1a2EL35mWn"
    "d9bt/VzXuxmSnZDwjz4/65x3f+soP+b8z9iTGfyvPZm768mEFX8Kt2FG2UdQytwy8h3KyL"
    "0yVmeVxhyXF5u4BeTaym2alZv6tBL2TF1hZ2m1pJssaWUGGyNXTOrKOU2pseFGi1kfmirf"
    "K3c39iQChOoCCWkyjSUszv83h91yLK6dAzAJ3XYSw24nmx/NCZiZaKm8gKft69P2Wee50g"
    "IWSuIRsD0psYpge3LurLWgnMZznzdjiFugRy+IcnCLVOftRMMyIQ6vjj9UiXGAbuVBDupi"
    "Ab5bYP6X+75jis27vhNTeujbjrS518L7PcesXs+JCwZ6Y8GOuOAo6JxiB2f966Mqkx56le"
    "OJR/kpz/Hd65ZESFBt8PhWtKhv7ektbUCVT/XdMqBqRHvE0yMMmrBZwRb0MaT99OsVc2hU"
    "PvhxAyAZu7FlU6LMAPi+TpW9Dfw3x3sFSnp4ZaFaTuM+jdHDS30XhWp4ga0YzvGn6d+N91"
    "OUq91LnOF/6vn9pn2KG4gwxo+qBofD7jvI3bXkooA7SlaELpWbNgkSHdZb04p51mDP7/8P"
    "75xWGQ=="
)
