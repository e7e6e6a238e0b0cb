from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "usage_counter" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "feature" VARCHAR(64) NOT NULL,
    "period_start" TIMESTAMP NOT NULL,
    "used" BIGINT NOT NULL,
    CONSTRAINT "uid_usage_count_user_id_12fc71" UNIQUE ("user_id", "feature", "period_start")
) /* What a user used of a feature in one billing period. */;
        CREATE TABLE IF NOT EXISTS "usage_record" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "feature" VARCHAR(64) NOT NULL,
    "quantity" INT NOT NULL,
    "period_start" TIMESTAMP NOT NULL,
    "idempotency_key" VARCHAR(255),
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_usage_recor_user_id_ed1bd2" UNIQUE ("user_id", "idempotency_key")
) /* One counted ``trackUsage`` call (refused calls leave none). */;
CREATE INDEX IF NOT EXISTS "idx_usage_recor_user_id_6e14c1" ON "usage_record" ("user_id", "feature", "period_start");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "usage_counter";
        DROP TABLE IF EXISTS "usage_record";"""


MODELS_STATE = (
    "eJztXW1T27gW/isavizMZTOUt7Ls7p0JadpmFxJuCNvdbTqOsEXQ4MiuLUMzu/z3eyTbiV"
    "9TOyTBCfpSGklHlp8jH503Sf9sjSyDmG7t0sRs6xT9s8XwiMB/YuW7aAvb9rRUFHB8Y8qG"
    "dtjixuUO1jmU3WLTJVBkEFd3qM2pJfreqiOXmKagQ4KohgaDezIeDBB1Eb8jyJV9Ih1zbF"
    "pDRA20fesQ6Mh2yIh6o11Uq9V2fhYPMywdnkbZcIH99tlgIDq1ifZAHBcGDV2IV7p3EeUu"
    "upJ16NKxDE/nNTEMj9GvHtG4NSTwIAcG8/kLFFNmkG/EDX/a99otJaYRwxdGKHqQFRof27"
    "KwcYed97KpeMcbTbdMb8Qize0xv7PYpD0MV5QOCSMO5sSIYM88H5JIkT9aKOCORybDNKYF"
    "BrnFnik4KKj9IUzLtjSt3elpV82epm2luBtSRBgTFOkWEzODMu5KBEb4m2YSNuR38PP48M"
    "l/zhQIv5V44B/1buNjvbt9fLgjHmgBL/w51w5q9mXVk+wCuOt3InGfAq07RECjYZ7G+x3U"
    "cDoi2ZjHKRPQGwFpLfzPPIwIC6acmH46q2AFvKDRYeY4mAIzWNFrXTSvevWLS/G4ket+NS"
    "V+9V5T1OzL0nGidPs4wbZJJ+hTq/cRiZ/o7067KeG1XD505BOn7Xp/b4kxYY9bGrMeNWxE"
    "ZmtYGqIGLadc92xjTq7HKRXXq8L1EKMI24PRT7keF99pzp/RYYvxbL6naRO8B/wKcDuYnJ"
    "Vh9lAM4sef9vcPDt7u7x0cnxwdvn17dLJ3Am3lgNNVb2fMiLPWh1a7F2ewKHiK8UH+LbG6"
    "he0Xs7y9NOSxBW5/b6/ACgetcpc4WRfHNzqyFMw98i1niifI5kK7YvN7lvBq/tmLya0Q0u"
    "2L+p87Mdl13ml/CJtHWNA475wlkAeBRbNhzxUsUZK5RMpcE3xvuQJl/83h28OTg+PDiRyZ"
    "lMwSH2lRAU/DpmbgsVsC0jiRAjUJqu45DmF6KQsjSrM6ObzlueFQliyIDwqI4YNcIXyQFM"
    "EmHYFRmAb4t6tOOxvgKUVSqaQ6R/8ik7pLm7hbv9x6TBcAohuPmpwytyae999lYT8DbIHQ"
    "bLmcFMEJRVF0kJTLt2CqeaK+BEOiNIolC2cJhpd7yFADzyzLJJhl82RKlODIDVAtixWh+2"
    "O1oJ91Oucx0M9aSQXk+uKs2d1+IzkAjSjP0beFO6sk0CHJCmGelKwtzoGNaPsuQI0aZRbY"
    "TOKF6OAV8uftHx0VMXeOjvLNHVH39CQcp7f3EY+eKLjB+v0jdgwtVhPRzh2qZ60BZwHd+9"
    "+7xMQ5ynjE430p+llD0/MpnHNh6VaWk8S7mXT+TKyuIl1tElxirln7Vt7sS1eN9kfJEszw"
    "UL6SeLZ4Ump+5YRbJpNvdsxFsyftvht56TAyDV8AFbJuEQ6CJS3mr7nIsR5dESsZI9dC/A"
    "5zRL6BPiIATKD53P76LJiDN8RxEShAmCHLNJB8IyChpolAsbBM6IULWkIdv/diQZfPPkC+"
    "hAW2EucBy1Ut0C6+5EZlsiT69XXrXbZEzxThnkeNmqBZTmQmojbKJ4l/Dl9CZ/QNJt/ZG1"
    "UF5aurkMzrcs6rkMxr5LoKyaxPSCa6DBa1WKI0GxiaOSlgqZzk2iknSY8gHlkey5BtudN7"
    "SrA6D/by5/UrdGKvbMYu2IetPHSr9xyBhTOv32hKunFpYAtzG8VCNJZ179layUy7ONUmxM"
    "hXkJAQsbeL4hwh2UBJvZi8xpQTNI54Gu73lkPokP1OxhL0FowQMz1LWifye9cM7DzPHRQ7"
    "+HHi2IlOMnh3eGPiC+gumDXdVgOkdL5beZlOwIbncmsknVcpH+CkbneWC1CPtvquA7D5Da"
    "rNMbIYQTZxkOcS51QmR/scRYOBKAKoBgPkEs5N4iKMoFOCbgh/JIQhnHIDLqTXPhNtfnDR"
    "LXVcjvijhRwCxC530faNxe/gJ9bvQn/jI4USmdUNqCFqkJFtcaHy9RmI7F3hawxa+r4iV4"
    "4uRAtxy9p5buq2chIqJ6FyFyknoeL6opyEwSpRRn2MkChrqIg1FJiR4Uo4nxGaoFbIF0Ge"
    "jDAt5XedEGye9XmwX8T6hFb5Xqz9vZL5IUuN5uPxiEjzIx3LD6pmqvF2pNH3tPh8yDOU2c"
    "9RCRlRk6Vj40sqYB5pHFGfoFmsCqxJ7rnJRkpRVoqyUpmUoqy4rqLprySaXgWD5aWBX5nJ"
    "EuhImkhHYPNmXWf1ocyXIlxQeQ0qr2HN8hrkBNQcAsq9QTLExXemboxS7S5N5zKEVmB6+j"
    "aZN0qFHhMCOaSu8kTe6jb/d93qNq+0y/pfF812T7to9j523p3K4BQFjW6ypIzA5raMPptQ"
    "NDrt963uRb3X6rQj7YErt9QZyS0Vkdb1RqId1v0Wl91Oo3l11Wp/OEW2Y+nEdWXu/NV1o9"
    "FsvmvCWFxP1wmBidpn7+utc1F0i6kpfjfq7UZTluiCDbLsst7ttern539p3eb767bswsYO"
    "p9g0x5NJL8YW1kY/hPKunkKenhmOnlLHHuQLzw089iCO9FGhlI6jGSkdR+mUDjGRPIfA9H"
    "ZdPMzIEss/ZyKDdBNAX/VZEwZ1bY9nrV8zE/SiZGp3Z/kcPcoerLmz9OLEandnAfsi6Zwu"
    "AXoG6SYImhWAHqTYaAYdEjfDuMvHPE25eZAvKXuvyBZmX+N65r7cruykOtr0s/P6lrojN0"
    "ArI4Q3xTE/gudM2yw0gJfe0xq6sFJROhWAUwG4an7PaxqKUQG418h1FYBbnwBcgKW/+M5n"
    "qsVoVShIhYJUKKgCpteCQ0GwErnlvMVTis2zaxfvkp8VC8qTvusQ/6kMwMo79gLrXNzULm"
    "o/x6kWaUdXwyszh9k8awPrNPP5uXtYpz2tJ7Df38Yam1mV2skaOwIww4WWPCIw35HmJlsu"
    "151WKuNdudiUi62iMmRNnS3KxfYaua5cbOvjYlM57ivMcY8qP/O5MzN6UE7N9d4Y/Wpmf6"
    "WORXsNqL+CBG6wiuvnMnla3hYlU6dFrvUfzVPkn2EoEqKvetq766ZIgxYpTR6UXbcv6613"
    "p8hjNqY5idStdqNzcXne7AElZbo1soU5Hi3Xmn9etrqCalqvkW82dfxE7OsrP/kaVsyKJF"
    "f7cQWu2cShlqEBl53yxlZOHxuogK+vwp22sxJsIyxDEJdifNCDYnu12S7lGdjIMxk/M9c8"
    "rwuVd14i7zxcV+bxbsVJF/DBVcz03aTvjYidVHMwOUqnOFxlDvv3ks6xfsYIFY+rzGN11L"
    "E66riSMeKKHnV8LbaANkQaYPZxx7H63VkBYk+0BCCmTb977vEnce0YlgcTi38M/6Ky4OJX"
    "MM3l4cA31BTuAeSrsLWkOT5XJ33WF1MTGt+M5XHFfvkP8kY0h8tzijFi5DGoQNQNfjvWI9"
    "oWFNg0rUcxpftM0kADjvZ2EGaGOESZAMNF/2B3kUdsImC/IS9TmxyODD0BNyx+J8ZF3T4j"
    "D/AGIAoJF6MGep3U/DOaxQHNFjPHSL/DbEhc6MSxvKF/0jJMPUPeYI7NPhsMri+FHEa1Wg"
    "3B3PYR+dX/8x/0FX362Ow2pz9/+RXJi48Hg7xjl2Px9gBV+RVHnQjJE+tUPP5F4/EqNrQK"
    "P23kYyiKcvT72TyUF6NqxLS5Z3g7lZdzrRT30NVePJsgpNiYI4BWkEFQYtPz0rXOLtEtJ3"
    "Njb7S6gM7pTFsWumvX11EN0K1E43v5NNCwdFDp0LbYdyS0I/HLRSbBDwS0NEZ20prnM/oS"
    "CijYRMQRtDSiFUIvzPXPGELYDRQ8qVKDcurnTf0cucOjz7bFyr0bvWoD3ZPxDhrhe/86D2"
    "LLFDtR6ncFqqQOyIC6ydDjHZEP7zO/nSuv/6ghH3ygBxX6nti+Rgw9+CXwuVmwjImRw7dA"
    "GeXEHBdSIEsddTxT21TqpVIvq6L4KPVyPdXLrx5mnPKMbTu5SkeURG2azAiXKZX91ajsav"
    "PbCywLaq9FPvrrmXWft9eiIrbaJ3JzZ1n3zYeci1Ri9TOttUe/pUYeit6pIk2sK//CQElV"
    "Q73o/YVBlqms8u8xpC7YNJgH5g8MgT4QZ5xpui2g3z4j/iWLPwqb6hTMLcOzTarDN4NMyy"
    "W+AUeloScjA2KG+oUut4QFZXlct+CzyzGeUuZR6o4XZQ29sDWUmCtlVsEMUrUpoMgiKOEp"
    "AXTYfllW0cvB+6bQ4cJvZhwu/CZ9uDC2af4Gr3yUE2Sbp9At3gINhXgK5VmO7wjRskzQlU"
    "7oF9k/JxZwoaNkQD8rpTZKptJoS6TR2nhsWjhjpv921WnnuAOmJElrheoc/YtM6q6jy2UG"
    "4AKMGOCpk8qTh5InFBbRQfKk8vXbUASWnE7gSwvnRIl7IRrN1h/+3Qh+D5ObGuSOHv+iBr"
    "lJ6EO74+8AGjLLSd/RkDQZCi3Gx0XW4qQZGVmKj1MrMedkZPMM5uUf6hYh2ZjQ6MLck6bY"
    "SUYcx3LSkOZfmRCn2gTFZpZvZBm3JYSf4xx+qwSpclxV3XEVW/ZDiTsH45O0KvO+atGAir"
    "go68Sh+t1WhnMyqNmd5ZbE0zbLPNOqlJsud3XP9BJlrOvBRK+uk2gh63q+V24O98VzXReV"
    "W1VWcOIwfFQlEA6abyC6S3HDwRN55hmM+SZzhESZzCVN5hddzJ7+D1EltaU="
)
