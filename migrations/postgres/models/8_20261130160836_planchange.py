from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "plan_change" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "stripe_price_id" VARCHAR(255),
    "stripe_invoice_id" VARCHAR(255),
    "request_digest" VARCHAR(64) NOT NULL,
    "idempotency_key" VARCHAR(255),
    "subscription_id" UUID NOT NULL REFERENCES "subscription" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_change_user_id_7e2cfc" UNIQUE ("user_id", "idempotency_key")
);
COMMENT ON TABLE "plan_change" IS 'What a changePlan did, so that the same client key returns it again';
        ALTER TABLE "subscription" ADD "quoted_price_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "scheduled_price_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "quoted_proration_date" TIMESTAMPTZ;
        ALTER TABLE "subscription" ADD "scheduled_at" TIMESTAMPTZ;
        ALTER TABLE "subscription" ADD "stripe_schedule_id" VARCHAR(255);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "subscription" DROP COLUMN "quoted_price_id";
        ALTER TABLE "subscription" DROP COLUMN "scheduled_price_id";
        ALTER TABLE "subscription" DROP COLUMN "quoted_proration_date";
        ALTER TABLE "subscription" DROP COLUMN "scheduled_at";
        ALTER TABLE "subscription" DROP COLUMN "stripe_schedule_id";
        DROP TABLE IF EXISTS "plan_change";"""


MODELS_STATE = (
    "eJztXelz2ziy/1dQ/jJ2PY/LcY7JenZflWIzGe04kp+kJLM7mqJgErJYpgCFRxTVbv731w"
    "2SEk+JlCWZkvHFB4kGyW4c3b8+8J+jsTCZ7Z7d2pQfXZL/HHE6ZvBH4vopOaKTyeIqXvDo"
    "nS0bTqIWd67nUMODa0Nquwwumcw1HGviWQL7PmoQl9k20hEkOiODwQObDQbEcok3YsSVfR"
    "KDetQW98QyyfHQYdDRxGFjyx+fkrOzs5Nf8WGmMOBpFr/fYL99PhhgpxOmf2OOCy8NXeAn"
    "PbjE8lzSlffIrSNM3/DO8DV8bn31me6JewYPcuBl/vwLLlvcZN+ZG/07edCHFrPNBH/hDb"
    "EHeUP3ZhN58WpEnfeyKX7jnW4I2x/zWPPJzBsJPm8Pr4tX7xlnDvWYGeM99wOWxC4FbwsX"
    "PMdn89c0FxdMNqS+jRJE6uAVFteOdL3V7uldrafrRxnpRhQxwYSXDMFxZFjccyUHxvS7bj"
    "N+743g3zevfgTPWTAiaIUP/NzoXP3W6By/eXWCDxQgi2DMtcI7F/LWD9kFSDfoRPJ9wWjD"
    "YcganXpZfl/DHc8as3yeJylTrDdD0rPoj3UEEV1YSGIxdXYhCvhAs83tWTgEloii1/yodX"
    "uNj7f4uLHrfrUl/xo9De9cyKuz1NXjNymxzTshX5q93wj+S/7dbmmSvcL17h35xEW73r+P"
    "8J2o7wmdi6lOzdhoja5GXIOWC6n7E3NNqScpldTrIvWIRzGxh2+/kHpy+c5K/p113+Revt"
    "yztCnZA/9KSDscnLUR9j2+xM9/u7h4+fKXi/OXb96+fvXLL6/fnr+FtvKFs7d+WTIi3jU/"
    "NFu9pIDxwo+EHOTvCrtb1H4z29tTszyxwV2cn5fY4aBV4RYn7yX5G3+zDJt77HvBEE+Rrc"
    "Xtmo3vZYuX9kcvsW5FLD3+2PjjJLF23bRbH6LmMRFc3bTfpTgPC5aVz/bChSVOstaSstYA"
    "P9/ugnLx4tUvr96+fPNqvo7MryxbPrJLBTyN2rpJZ24FliaJFFPTTDV8x2HcqGRhxGl2tw"
    "4f+W70KlteiF+WWIZfFi7CL9NLsG2NwSjMMvif3XYrn8ELirRSaRke+S+xLXdrA/fo70Of"
    "G8hAcudbtmdx9wyf97/b4v0SZiOHlq/L6SU4pShiB+l1eQimmo/3KwgkTqNEsnGRUPi4bz"
    "lq4DshbEZ5vkwWRCmJ3AHVtkQRwR+7Zfq7dvsmwfR3zbQC8unjO61z/EJKABpZXoG+jXBW"
    "RUZHJDtk8/zK3vI5tBEnAQSoW2aVDTaXeCM6eI3wvIvXr8uYO69fF5s7eO/HDwROhw8xRA"
    "8v3FHjYUodU0/ciWnnjmXk7QHvQrr3v3eYTQuU8RjifYv97KHp+SMac9HVoxyQxBgx40H4"
    "nu4yF6GOR/LrKuyuG/R2qFxz/bt554/kWDfW1SGxC2eouBBFczZ7a3wxTl+hnN7LT8Jn45"
    "Mys7LASTWfsss9Vfpk3m6lv6rN2cLpA1REDAmVLqafXBIu46dkOgLRfWOO9BE9gEwuoZFJ"
    "3dGdgK8mvsucjMdqYz33+ZjOCDVNMmXswZ4R4RDB2c8ITZNgNcR+LGNEqMPI2HIc4TATNE"
    "6PcNm3K2yTHLuMofsLxqpLbTYYnJyRJg90MeKIqYs+tBm0JR68E2HfQU+FTyHhpLhjjguP"
    "JZQT6K3P5YOBxLJtAgqisKEXD2mZ5QQuunLOsz8DkQU7JQw05nyjUjsJtcS/Cr1reTvzp0"
    "/N6/ydOXcr9n3LPEOa7XjYYuq/fBL+ePUUun9g+AagfVyll5+uXGvPy8miXGvPUerKtbY/"
    "rjXJsgz3i63OqP0OIV2HIZaMrNsW5xMm54s3JSzOF+mpszA48VaSx3FVoyyf4zQH6MZ8W4"
    "LHbwtZ/LaIw8BAn+fsI4VLSZZwZ0vJi+2uIxtz/tBxRZ4uCHbnSdv+uvwMnWk7Ww027EtT"
    "noLdI9hgoa+LXy9IDy4cdWPwdcJVLMSDP9ErRvwmqQ4hVmcHgVExvKgsn2MkB7hSbya+Ou"
    "OMSXI8y+73wmHWPf+dzSTTm/CGlBt5q3Uqz2DPmF2EhcNlh07nwGR8kMG3wxezYIHugFne"
    "aV7BKl3s3tomrJ523uSA6zn+nWKIPe1bKge0N0jcu0KiTkjYyVkGP19F0OcSzZ4wrru28A"
    "YDMhLADpkNgrA55oAAHf4rOIvIYrddEmhwnj3r8xGFwWWSY+QdkiFuPiMCQWsEx08uJUAf"
    "DEkiByJ2gOg9GdMH5pL+EfX6fCxcTz4O36vgAybQpcT1j+QbQyfQ1JsKAhx2CXCRnfb51I"
    "IZBI0psYXxQEYgaUINR7guXArdCga17TPSwPcLMHsbn47viQxBl4DN+jyA6OX7WDwihXdn"
    "3ycWugnwExm5m0nOcPbdW7ypGM7ZVYTm/3mEdyP43mTjifBQKZZ72l8ZrD/WGFYLz3cVvq"
    "/w/bou/HuK9Cp8/zlKXeH7+4Pvx3bBshZMjOQALZitmOThiA0Vv/WAkCSxgkIq8L1W8NPh"
    "j3blz9q2Pys0WHL5q3F/nEFBUkM7ot6hlxatvormyFH7VmtdSnuxz6/aH29vtJ52SQwxni"
    "Cg0efaH7fNjnZ9GRmQacP9ady5vlNp5IfNDxFxfVVm2GOzJZjrq8zgD4TtrmEwJCkP0GDY"
    "XwMhaxdGak8MuFpTccr2cICTbRsbucPgS11PN6175ubMtmLWZykPcFPfVDGZOM6YRC2rKF"
    "BZUjXKS43yOW5fhd0JIpVVVYLNyleqfKXKV1rBV+q7nhhL11bWSRrdO13qHY23WukV1b7D"
    "bUzp4WzuF7wMnG6Bq3EwCJG/wYC4zPNshg5AdBKSO+ZNGeOEZlynG+m1z7HNTy4ZWo7rSQ"
    "dlqGC45PhOeCP4lxqjyKOIDsugEh9wjcQ2xj6HnfEU84oit6X0G7ny7SJuEU+Ik8eW21MO"
    "Q+UwVK4j5TBUUt+Uw7AOjqpDV9FDwCTaCdeDW1LUivNlOM/G1KqEGs8JDs/If3lRJlIXWh"
    "VH/F+cV6zpsU1F/tqf2JYBwkgUYsjR6vMbLlXxzYgkgXKWU/ixKkAyLBDtQJuZhHITNGrQ"
    "DzEO8Y4ZFFbSRbQitXGXmZERxZYZjX8z3fa5sE24amNJAFDPz0iHGcIJKIdgwsbCBzH4kJ"
    "kJq2LOF1D/sWgBhkUGcZQ2XHTwb+4ReoehhZYHdgXH6EPoCwMYLRic8CqySoIhCw/Qexir"
    "pasIxPadmJ6poguVsaDURmUsKKk/D2PhqaW7faX1gU08/fFu2hXdKGmUk0ZMFXy0SMr0pQ"
    "y7cib13kVqTRg3q1fTOLrVWtfN1odLEtL3eUfrtm8+Y3xWWJULVPH3jeYNXhmC+VqXgK0o"
    "1JPOxmAV6BiKyNettpnXx+GZ6NtEnwILcT32J2gV20sG+QQWuV65kEcOpaqNX4tyHrUexR"
    "uu5sGwxmSWu8XHkswJDoG1y4y2bRxIEu3kaxjUKdINWNR7JIt6G9ABblIXvNxyJ76Mwcki"
    "5OGt06WYeKzRShC8N2IElDYZXRIShtVxA02OHIc4M7VtLEwbxbEYsHjfs5NsrYBNdKgCTx"
    "SWrFBFhSUrqdcAS1aZ6vXIVA95Ge6p6+EDSWKFYJbBB1R9zwMABGrH1G0iAvuHuVfn9NGX"
    "RqfVbH3QW5p23dU7Wve23epqlwTsLw6c1zljpqvDNjgBzrM+j9p/al1rHWj/ual9WbRGHM"
    "+B1t8sNl20Bfu/i2B91MqwhYsgfvqZ6Wcln5Hqu92CDgXvc+i8dykLha3jBnh5USpIbEmM"
    "WBYIpW7eBr8syzGiqPNQqU12I+bMraU+JwgPUHveX205ayTNPWCVgIgk1W4BiacR7Ar04V"
    "FYXEYaWVG0OesJ+FE2B3DRzz4KYHUSYGL8lckDfNzxYiE7cyDOGKeXHC0Wa7QK4izm1UZr"
    "aMYjXU9JXnnNVCMFYSoIs57b8Z6CWQrCfI5SVxDm/kCYKix5l0UfaxXOVy+1WMHGCjbe/9"
    "Vj08dCyQGoR1GNlYduglIFQmb9d88Ale9o//ep2dG6+m3jXx+1Vk//qPV+a8sI+K++rD0Z"
    "bSljsLmFiUHyIcVVu/W+2fnY6DURIZ+3B6kMLWcsz3iPtW5cpdpRI2hx22lfad1uEInvCA"
    "OrRmMwfvfT1ZWmXSOc7/qGwZiZDcfv86tG60qTV6KsXeix0ek1Gzc3/9I72nuE9uHuhDqe"
    "RW17Nh/0+G7R3fhEeHpcPy6iCotniuwQgkWTnH5d6kSs10tOxHqdPRELB5LvMBjerkvvcw"
    "7ZK47LzSE9BKbvOkI3jHHI2b+Wnm8YJ9vhCYfzK/t+xKHFv4m1q8wniVU5yTJF5lWp1GdY"
    "ELjWLN9SQc9iz186iStHu34XEr7/vcNsWqDMhK6njuykPtr0o718OXluOvU8mP3eRljVCP"
    "o6JI5VSuzIKB3FTI38zatZG8vx2K/FYClPKziHw2mY4xteTNBi17CzaLNRz3DG95t0mSvP"
    "rvLs1n/Z21Mfn/LsPkepK8/u/nh2a1G7QvkYlY9R+Rhr7WPceY5B3VbnLft6ljkZi1bffX"
    "As1obBdQvvr4fNv4kA/xJB+9WP7lk/bL8ejN1C4P76dUxiiscC+Hss3FUVSazZgr5Z0Cti"
    "QyH2FePTKghMjwlpdR2YRhi0QO4s27536GREqPvAzKjM+FA4p3jy7NiCXuc1yKEJMCdbBO"
    "ZRvfV5nzc9l1gmCQqXY13zkDDmuiLRWUYOmzAalCnnJPxockyHWOec9jkmWMIdd8rgmZQY"
    "DnVH+Aca88L3TjDSg3Asjh69tDe1DPYrmY4sm8nTd0+J5bl9HmjP8N7w0w1qokPX0xH1sA"
    "q7zYYeVrrxggI4OCuLitmkwcPViSbJ9uGerYBGBTTWdPvaU8hJAY3PUeplgEYFtWwWagnj"
    "IdYru5olPSDkdoMsVljLNqEAFYH1dBFYMPnvKnE8TXeAYNeW+b1Owdsk7QFqPPur4WQV2/"
    "1LUJGFcSrajEftW611Kc36Pm+0ul+0DqZsBABBlMbRjbI43Lqc0SCLdgO7zZwYsyWnJCao"
    "Dm+L2fymrqqp7zJXQ3lTNgZTZQJ9q/F0WfRFFZbWKg1Deae2y9jde6fSozwrhYqFvUrH/N"
    "dxYK/kf2JWb7+ql0056CJc4hjZwl6Lu6dLa3tBO91YNFzpuvqCDhhKAhJ8CjEtU3qGPLyD"
    "/hgXXoUYtoXnD4C9Daqd5zvcxaNvpRsn48DaQJ99fkzlqbphU2wztbwRqJoCHUEkNI/Qdw"
    "RPEnxoW4ZXeABCpcpkyjGkHEP13Dn21EWgHEPPUeplHEOqptVOjtq18nS9JWfqhu0PkL/b"
    "O//TWTt/P056CDjI7qq01a1swuEz/slz+Ou9vGy+7L3ykz7F8rLq8PNiq2/1WefPE2Ndgg"
    "nGWbYBYLCb6m4/WbwSncoZaAmM6qrRvWpcaxuLX68IZyWkkANopaVUDGmlh8eWKxNUqkqv"
    "gogVVlTTdWRPUQOFFT1HqZfBilS1gnpUK1CY3Q4RjpWWyEqYY7VBoupDLJOA4bueGFce8v"
    "nUavRXO4XhCUHVZ8n1fYthrc7vo16n2biRBc6B39SW5c2xHvpn7ZJgGfRvDIuWd3v69ScN"
    "S5UjZOnLY0lvG81rPJB0Qq2CYufN1lX74+2N1gNKixtiPEFrPH5d1/64bcqY2cV9nX2fWE"
    "5QLD0Inp3QdWNnNx/TGZRo8fQJcyxh6iBlp7qxVdDHASrg+6twZ+2slNhYnhexkuBZrl9R"
    "ib1mYpfrGdjISwW/tB58UReqNnyF2vDRvrIOupUk3cCEq5npe0jzjeFpJ2sIOU6nJFxnCU"
    "tNc539M0GoZFxnGUdwizFipm+vabWmqJW7vpzdGnLNXA8wyKVWrK/I+ur7V5pWrW91Xt++"
    "+sJbc4blkKrpVWp6zTkH7SWAj3Oh6jwr7ERNuDpPOJnKVW2ixUjqjME+aXDlsuRUYF+W3d"
    "UzU8Nu9ozZpdNSF4Osck5qanQHGYKPPE0pmRp5IEyvdpRSxdi8T3hC5hVW/5IxcJnYvMT9"
    "02WxeT621I1Y07IJpxgSgD9MrPpJyZBRz3cYsTgRnMnKp1iTNEAPsyVS1+kEK6PCJMaKqb"
    "Ogzqi8/pNLpD9C5qdSwtk0vBGkluL/jpiSY6Sgti2mOPn7XNJAA4+cnxBMVaVYStWm2L8D"
    "Y3BKbQID03ThVRZprNATSEN4I3wvy+1HlVNd5uFbA73BzshggN80GACpPQvTaLGQqyP8+5"
    "HsDMaLaSFHqd3ng8GnW9yxyNnZGYEBGXDkH8Gv/yFfyZfftI62+Pfv/yC2Nba8waBUumzI"
    "VTkB4/4blTZbq1BIFZazC4U8NhnKcjk+fw6Py5vPeHmMo1k5mPfKxImiHMoHckYUuysLe7"
    "6tabSz4M2MxfM0GSFSq+wwQzhJ9SDndgmd01m0XKlytjkL6s6DAjQYYOMH+TTQsAxQ6chx"
    "WKxO/oe16Ok3BloaZydZzfMRfcnS/Bz2XKS1Yloh9MJdGugf1A0VPKlSg3IahKz/Kq8GA7"
    "fPj3HnPk3X8z8JK/7TsKg/PAXLpsiuQJU0gDOgbnIyHTH58D4P2rnEkWpnwHygd7DeyiTQ"
    "iKGH4ApMNwHbGL45zAWLWx6zZxupt1Je21TqpVIv66L4KPVyP9XLrz7lnuXlZFIXKh1xEl"
    "WPPidSSansz0ZlV/UInmBbUGmuxdzfz4THojTXmthqX9jdSIgH7RuTHomMsZa4v9RamwYt"
    "dTZvWspc6wYnlkmqM9Kb2z5gc4WhUvIWqJdgeFlucI5YYP7AK1jfmDPLNd020G+fs+/w/v"
    "bsZ7SpLsHcMv2JbRkwZ4gt3PDINUsaetIzgCM0uOh6Ai0o4XuGgGlXYDxlzKNFZk04nZU1"
    "9MTWUGqsVNkFc0hVPmaZTVCypwKjo/bbsoqejr0vzs9LsBdaFZexw3up49AnVnFufTGXU2"
    "SHp9Bt3gKNFvEMl5cB3zGibZmgOx3QT1K6ADfwce4pIEuzmeJkKoOpQgbThM5sQXNG+j+7"
    "7VYBHLAgSVsrluGR/xLbcvcRclnCcGRGguGZw0HS54CkFBbsIH04yP7lcoMlZzCYadGYKJ"
    "3R3dGutObn4NChoIc+v+20r7RukEztCIO5rszP/tBqB8nX91zIjOv3jabM4R5Sy14v43rz"
    "FWXDU5hzhFd8XmaM5GBcoxuDJ21M4q98NlGS6hAUm2XYyDYOKIqm41qn3yVIFXBVd+Aqse"
    "1HK+4agk/TqhyFunkDagJRtn3vTnwvRCjjt0+XAZRCNqyKT5piDAKNcMTBID5sA+TQZd5p"
    "GHURxhs7zKaz4AicEcXc7VyEciM997nlEU9gL86MmL6DX0vCUmB3zCHHXHjWEEFL+CgXmp"
    "p09isBI9O0MKoZ45l9+LPPbZhXzsmKcBXLIVMHrAC3NKSZnubCkKVCglqrCtx8UnCzbkDb"
    "QYE/TxBHU7P9bwdQcXw1qah/pEgPUPHcd/1DAUy1AJiUkn/Ik6wmSn4rpqVeR379HG0/t9"
    "1StT+u/+rxkIHV+n8j1M7JUDigKhPGzYmwQm09WF1AUR8JO/T6y3ABcifMGejroCSfkqEF"
    "Q5IEYz9hAGyu6z4fUv4zGDcyijuwAxzmwc8gJMGFrgn+cBeKvezijDTkdTASDJtaY7fPpY"
    "khpmhtgO3hYe7iYGAL4wEmsM89y4Z3OqYY6+7KeAjDoe6ImWE3P7lBRxg3gXUu3SBfMng2"
    "HXr4IDEeW0HHMvgdmxeHlsdd5xGDcoLKFxg2PNjTQ4h0fphDMjLKUjEVT212FAdTFPN6SR"
    "TF8zxmJ1FXTjKnqjWXpFI2XZmMxSIttNi5UKyF7ieLd+1a2EP35q3Wum62PlT1boZklyT8"
    "o8+vtZvmZ036Med/LjyZwW/lyTxcTyas+BN4DNOLJkEhc4vID+gwlI2xOq00Zri83MTNIV"
    "dWbt2s3MTUitkzVYWdplWSrrOkpRmsDx0xrirnJKXChmstZpU0VbxXHm7sSQQIVQUSkmQK"
    "S1heKXEOu2VYXLlaYhy61WLd7iebV1ZPTA20Oh3ZmyuJFWB7XGIlwfb42NnqWb4Kz33aii"
    "FOjh69JMrByVOd9xMNS4U4nL96WybGAZoVBznImzn4bo75X+z7XlDs3vUdG9J3vmV7FnfP"
    "8HlPMaq3k3HBQG/M2RGXpILOKQ5w1L+4KDPooVUxnniRHfIcv73qaVQxqh2mb0WL+t5mby"
    "kDqnioH5YBVSHaYzE8wqAJ67H1u4tiN/ZsSBQZAFut5N0A/hujoxwlPbyzVC2niza10cML"
    "fRe5aniOrRiO8cfp37X3UxSr3Wvk8D82f79uU3EHEcY4qSpwOGx+gNzdSi0KeKLH8tClYt"
    "MmRqLCeitaMU8a7Pnj/wGQyZZP"
)
