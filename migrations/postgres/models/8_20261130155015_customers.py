from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "payment_method" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "stripe_payment_method_id" VARCHAR(255) NOT NULL UNIQUE,
    "type" VARCHAR(64) NOT NULL,
    "brand" VARCHAR(32),
    "last4" VARCHAR(4),
    "exp_month" SMALLINT,
    "exp_year" SMALLINT,
    "wallet" VARCHAR(32),
    "customer_id" UUID NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_payment_met_user_id_66ab7f" ON "payment_method" ("user_id", "created_at");
COMMENT ON TABLE "payment_method" IS 'A payment method attached to a user''s Stripe customer; the row goes';
        ALTER TABLE "customer" ADD "name" VARCHAR(200);
        ALTER TABLE "customer" ADD "address" JSONB;
        ALTER TABLE "customer" ADD "default_payment_method" VARCHAR(255);
        ALTER TABLE "customer" ADD "stripe_version" BIGINT;
        ALTER TABLE "payment" ADD "purpose" VARCHAR(16) NOT NULL DEFAULT 'one_time';
        ALTER TABLE "payment" ADD "stripe_subscription_id" VARCHAR(255);
        COMMENT ON COLUMN payment."purpose" IS 'ONE_TIME: one_time\nSUBSCRIPTION: subscription\nCREDIT_PACK: credit_pack';
        CREATE INDEX IF NOT EXISTS "idx_payment_user_id_375a26" ON "payment" ("user_id", "purpose", "created_at");
        UPDATE "payment" SET "purpose" = 'subscription' WHERE "stripe_invoice_id" IS NOT NULL;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_payment_user_id_375a26";
        ALTER TABLE "customer" DROP COLUMN "name";
        ALTER TABLE "customer" DROP COLUMN "address";
        ALTER TABLE "customer" DROP COLUMN "default_payment_method";
        ALTER TABLE "customer" DROP COLUMN "stripe_version";
        ALTER TABLE "payment" DROP COLUMN "purpose";
        ALTER TABLE "payment" DROP COLUMN "stripe_subscription_id";
        DROP TABLE IF EXISTS "payment_method";"""


MODELS_STATE = (
    "eJztXelz4kiy/1cq/GXseB5Ht/tcz+6LwFjdw44NfkB3z+4wIQqpMAqLEqOjMbHb//vLLE"
    "mgE0sYsJDriw+psiRl1pH5y6P+czS1dGY6Z7cm5UcX5D9HnE4Z/BG7fkqO6Gy2uooXXDoy"
    "RcNZ2GLkuDbVXLg2pqbD4JLOHM02Zq5hYd9HDeIw00Q6gkRnZDi8Z4vhkBgOcSeMOKJPol"
    "GXmtYdMXRyPLYZdDSz2dTwpqfk7Ozs5Bd8mG5p8DSD322x3wEfDrHTGVO/M9uBl4Yu8JPu"
    "HWK4DumJe+TWtnRPc8/wNTxu/OUx1bXuGDzIhpf540+4bHCdPTAn/Hd2r44NZuox/sIbYg"
    "/ihuouZuJic0LtT6IpfuNI1SzTm/JI89nCnVh82R5eF6/eMc5s6jI9wnvu+SyJXPLfFi64"
    "tseWr6mvLuhsTD0TJYjU/iusrh2parvTV3tKX1WPUtINKSKCCS5pFseRYXDXERyY0gfVZP"
    "zOncC/79/+8J+zYoTfCh/4tdFt/troHr9/e4IPtEAW/phrB3fOxa0foguQrt+J4PuK0ZrN"
    "kDUqddP8voI7rjFl2TyPUyZYrwekZ+EfmwgivLCSxGrq7EMU8IF6h5uLYAisEUW/daP0+o"
    "2bW3zc1HH+MgX/Gn0F75yLq4vE1eP3CbEtOyHfWv1fCf5L/t1pK4K9luPe2eKJq3b9fx/h"
    "O1HPtVRuzVWqR0ZreDXkGrRcSd2b6RtKPU4ppV4VqYc8iog9ePuV1OPLd1ryl8Zdi7vZck"
    "/TJmQP/Csg7WBwVkbYd/gSP//t/PzNmw/nr968//ju7YcP7z6++ghtxQunb31YMyIuW59b"
    "7X5cwHjhR0wO4neJ3S1sv53t7blZHtvgzl+9KrDDQavcLU7ci/M3+mYpNvfZQ84QT5BtxO"
    "2Kje91i5fyez+2boUsPb5p/H4SW7uuO+3PYfOICJrXncsE52HBMrLZnruwREk2WlI2GuCv"
    "drugnL9+++Htxzfv3y7XkeWVdctHeqmAp1FT1enCKcHSOJFkapKpmmfbjGulLIwozf7W4S"
    "PPCV9lxwvxmwLL8JvcRfhNcgk2jSkYhWkG/7PXaWczeEWRVCoNzSX/Jabh7GzgHv197HEN"
    "GUhGnmG6BnfO8Hn/uyver2E2cmj9upxcghOKInaQXJfHYKp5eL+EQKI0UiRbFwmFj/ueoQ"
    "ZeWpbJKM+WyYooIZERUO1KFCH8sV+mX3Y61zGmX7aSCsiXm0ule/xaSAAaGW6Ovo1wVklG"
    "hyR7ZPPyysHyObARZz4EqBp6mQ02k3grOniF8Lzzd++KmDvv3uWbO3jvxw8ETsf3EUQPL4"
    "yodj+ntq7G7kS0c9vQsvaAy4Du029dZtIcZTyCeN9iPwdoev4Ix1x49SgDJNEmTLu3PFd1"
    "mINQxxP51Qy66/m91ZVrjjdadv5EjvUiXdWJXThDrXMrb86mb03Pp8krlNM78Un4bHxSal"
    "bmOKmWU3a9p0qdLds96q/qcLZy+gAVscaEChfTTw4JlvFTMp+A6L4zW/iI7kEmF9BIp85k"
    "ZMFXE89hdspjtbWeB3xKF4TqOpkzdm8uiGUTi7OfEZom/mqI/RjahFCbkalh25bNdNA4Xc"
    "JF345l6uTYYQzdXzBWHWqy4fDkjLS4r4sR25o76ENbQFviwjsR9gB6KnwKCSbFiNkOPJZQ"
    "TqC3ARcPBhLDNAkoiJYJvbhIywzbd9EVc5794YvM3ylhoDH7OxXaSaAl/pnrXcvamb98aV"
    "1l78yZW7HnGfoZ0uzGwxZR/8WT8Mfb59D9fcPXB+2jKr34dOlae1lOFulae4lSl661w3Gt"
    "CZaluJ9vdYbt9wjp2gyxZGTdrjgfMzlfvy9gcb5OTp2VwYm34jyOqhpF+RylqaEb82MBHn"
    "/MZfHHPA4DAz2esY/kLiVpwr0tJa93u45szflDpyV5uiLYnydt9+vyC3Sm7W012LIvTXoK"
    "9o9gg4W+KX69Iq1dOOrW4OuYq9iy7r2ZWjLiN05Vh1idPQRGRfCionyOkNRwpd5OfHXKGR"
    "PneJrdnyybGXf8N7YQTG/BG1KuZa3WiTyDA2N2HhYOl206XwKT0UEG3w5fzPwFugtmebfV"
    "hFU63721S1g96bzJANcz/Dv5EHvSt1QMaG+QqHeFhJ2QoJOzFH7+GMGACzR7xrjqmJY7HJ"
    "KJBewQ2SAIm2MOCNDhvxZnIVnktkN8Dc41FwM+oTC4dHKMvEMyxM0XxELQGsHxkwsB0PtD"
    "koiBiB0gek+m9J45ZHBE3QGfWo4rHofvlfMBM+hS4PpH4o2hE2jqzi0CHHYIcJGdDvjcgB"
    "kEjSkxLe2eTEDShGq25ThwKXAraNQ0z0gD38/H7E18Or4nMgRdAiYbcB+iF+9j8JAU3p09"
    "zAx0E+AnMjJaCM5w9uCu3tQaL9mVh+b/cYR3Q/heZ9OZ5aJSLPa0P1NYf6QxrBau50h8X+"
    "L7VV34DxTplfj+S5S6xPcPB9+P7IJFLZgISQ0tmJ2Y5MGIDRS/zYCQOLGEQkrwvVLwU/1H"
    "u/Rn7dqfFRgsmfxVuDdNoSCJoR1S79FLi1ZfSXPkqHOrtC+EvTjgzc7N7bXSVy6IZk1nCG"
    "gMuPL7baurXF2EBmTScH8ed65nlxr5QfM6Iq5viwx7bLYGc32bGvy+sJ0NDIY4ZQ0NhsM1"
    "ENJ2Yaj2RICrDRWndA81nGy72MhtBl/quKpu3DEnY7blsz5NWcNNfVvFZKI4Yxy1LKNApU"
    "nlKC80ype4fRl2x4hkVlUBNktfqfSVSl9pCV+p57jWVLi20k7S8N7pWu9otNWjXlHlAW5j"
    "Sg9nS7/ghe90812Nw2GA/A2HxGGuazJ0AKKTkIyYO2eME5pynW6l1wHHNj85ZGzYjisclI"
    "GC4ZDjkeVO4F+qTUKPIjos/Up8wDUS2RgHHHbGU8wrCt2Wwm/kiLcLuUVcyzp5ark96TCU"
    "DkPpOpIOQyl16TCUDsNtOwzrbioF4zXUSDaDvRLUkvNFOM+m1CiF3i8J6ge2vDkvEjENrf"
    "IzL85TEdN7LdVZafbuJCAd9lPYckuVJYuQPKkqWcWYve/yY8EHqDO6mDLuqlOwGa1S63Z+"
    "DzUc/M9btynG4acWcPI7u1lK68BshueprxNjWlaNnSRX19TZSc2XIikAARXxqQh1XapNMA"
    "bdIpQEcFOIEgWa1C8CVMIQ9zvLL/uVyBJ4cp8DLiLwgzYOXeBREBghrzO/q8KVbCI6dwTr"
    "kBHuErCq6DJ0oNCFBKxeotQlYCUBq0OaZfuLtI7pYhuGXGf1IeGrIlIQ7CnB8bB9DUf59o"
    "OzRjblpcbzkqB+9vub80LQ4BpkMFW1gjru2zLcXRLUj7tFhm7+yE0NXPYwU6cWh65T7O1N"
    "qWnmqiExwhppIG/OP7xf6hz4zzoto3fTuL5OqxXImwWj9iY8DekkS2MsnQPfWKkozBVF/R"
    "aB7S+xa/2J+WDPekfik1CfakCfG4A8a6Iuo1F3T4y8jIb5HSZrH42+TAyuWARms9FrNq6U"
    "5wrAvPJmpqEBy2MF9DOw6uyGp+swaz0kiWWnFMOusZp7vJwLjiKT6QTUTWKzsSfqx4yYRs"
    "GQXVWZoSaCLQsyodgyBV9vp9sBt0wdrppYyt3i7Ix0mWbZPuUYJkCk7AsWjWF6LBp0yRdi"
    "6FhsHsvZ+PVvTLho49/cJXSEJWEMl4xhdAM59IUIugFjDV5FVLfXRMF4egdDT2LmEjNPc1"
    "6ipxIzl1KvGGYusdp9oIT3bOaqT0+vfaQbKY1i0oiogk8WSZG+JJJezJ9xcBU2Zozr5U9B"
    "OLpV2let9ucLEtAPeFfpda6/Yl2N4DQlUMU/NVrXeGVMDbMqhTYS/iIsIcM3PSUxq4/6YU"
    "q7dP35FuJm7I/RSrYXLM7gW+Rq6QMYMijlmeaVOIah0qN4y6cwMDwbMM3dPnvI85yEBHVg"
    "7TqjTfm9H7PXUuHpS5vtutP+HDZPxqwnVwt/J9/AoE6QbsGiPiBZVNuA9nGTEjHwO8XLDW"
    "fmCeQ+jZAHt07XYuKRRo+C4P0Jw3BrEVIdEAanmgYx2McBzkxNEw8UDesPaLB437GTdI33"
    "bXQoCwZILFmiihJLllKvAJYs46+rEX8d8DLYUzfDB+LEEsEsgg/IcxlrAAhUjqm7RAQOD3"
    "Mvz+mjb41uu9X+rLYV5aqndpXebafdUy4I2F8cOK9yxnRHhW1wBpxnAx62/9K+UrrQ/mtL"
    "+bZqjTieDa2/G2y+agv2fw/B+rCVZloOgvjJZyafFX9Gou9OGzq0+IBD5/0LccDTJm6A7Y"
    "c1ggrjZG3w66rThhRVHiqVSXzAWqcbqc8xwhpqz4erLaeNpKUHrBQQEafaLyBxGIHBZbC4"
    "lDTSouhw1rfgR8EI4ttVP4cogMeLt8bGX5H6rdsoW3GUX7BiPcQZEeujEGc+r7Z69mE00v"
    "WUZB2LuL7RzLNhGrBkKwl0SqCzmpv2gUJeEuh8iVKXQOfhAJ0yePkZCk1UI+ivWsqzBJcl"
    "uHz4q8eWwWV/AKph7GPpoRujlOGSaS/fC8Duu8r/fWl1lZ562/jXjdLuqzdK/9eOiJP/yx"
    "MnC8ZrF2EofUDR7LQ/tbo3jX4LcfRle5DK2LCnosRopHWjmWhHNb/FbbfTVHo9P17ftjQ8"
    "ExhD9ntfmk1FuULQ3/E0jTE9HbQ/4M1Gu6mIK2FuL/TY6PZbjevrf6ld5RM6AODujNquQU"
    "1zsRz0+G7h3ehEeH70PyqiEotngqwOIaVxTr8rVF763Zry0u/S5aUjYM8m0zxCvs+TZzlT"
    "Q6u1zGwHa01F8+yChD3gPLvsNbutW396RrOrYHZ1latWH9aG5m8XeLKQbmAtZ+1+k3mys2"
    "QZeZzm8ynNuAx7NoPNwXHoXcYsyo99zyCtA9P3HQUfxBFlDPtLyzIZ5TmbRYQswfYR0O1q"
    "5Vpe2S/nLzud6xjnL1tJ1n65uVRg/RFigEaGmwOJBEuGwb9bhrZh7FecWB61WWChkcfIvs"
    "TDkivN8h0ddprvXU8mSj7xlIeu6KQ6tuiTPekZuaQqdV2Y/e5WWNXw+6oTx0olT6WUjnym"
    "hjEdj7M2kkd1WIvBWp6WCMAIpmFG/MVqguaHX9irNluNvkjFV8TDUmRchIyLqP6yd6Aech"
    "kX8RKlLuMiDicuwqlCfRjpoZceeumhr7SHfu95PFVbnXfsKV3nos9bfQ/BLV8ZBlcthaYa"
    "Nv82kmgKJMaULq7/hNSYajB2B8kxm9cKiigeK+DvqXBXWSSxYgv6dkGvkA252FeET49BYG"
    "pESEUOy/WpyMgwzTubziaEOvdMD0v5jy37lGjWdGpAr8s6/9AEmJMutPSk3gZ8wFuuQwyd"
    "+IcD4NkBAWHEdUXu2eKUOBY8asaofxQAJ8FHk2M6xrME6IBjEjPcceYMnkmJZlNngn+gMW"
    "957gnGSRGOBxCEL+3ODY39QuYTw2QE81tPieE6A+5rz/De8NPxzx2ArucTKo7vNdnYxWpS"
    "rl9kCmdlXsGoJHj4eDJXvH2wZ0ugUQKNFd2+DhRykkDjS5R6EaBRQi3bhVqCeIjNShunSW"
    "uE3G6RxRJr2SUUICOwni8CCyb/qBTHk3Q1BLt2zO9NikrHaWuo8RyuhpNWbA8vvUsUnypp"
    "Mx51bpX2hTDrB7zR7n1Tupjw5AMEYRJUL8yBcjZLgdp+aocojA/s1kud/R6nqt8Ws/1NXZ"
    "5YsM9cDelN2RpMlQr0LcfTddEXZVhaqTQM6Z3aLWP3751KjvK0FEoWzysc81/Fgf0o/2Oz"
    "eueV8x47Q7v40dmlD8x+Wih3qVJ50usivS4VXZYPFH+XXpeXKHUZ3n044d2y7N0ey95Vp3"
    "zHiwuoD/ineY5rTUsP+WxqOfrLFX20N64iESWVXK/rGejl+X0Elm7jWtRTA35TU1RTw/Jr"
    "X5ULglXXvjOskdbrq1dfFKyMhnUaPHFWym2jdYWnpMyokVNbrdVudm5ur5U+UBpcs6YzNL"
    "Gj11Xl99uWcDKs7qvsYWbYfm0239swo5s6G7YPgvs5La46Y7Zh6SpI2S5vbOX0UUMF/HAV"
    "7rSdlRAby4LYSgk+6EGKvdpiF+sZ2MhrBb+2gFZeF7KYVoliWuG+sgm6FSeVR3hXeb4xLK"
    "66gZCjdFLCVZaw0DQ32T9jhFLGVZbxzKRlEZoISZVNpg1N1B1VgItzPM3u8p73oJsDY3Zh"
    "t/tqkO02I7Skg/gL1rVtYsy+cMSmHMSx+6frHMQetlS1SNNHMxy/YZ4eJYhL4w8dc/UoGT"
    "PqejYD0xwrQIt8Rcwk9FXYdGLjJp1gPiMMTcxzXPjZgeL6Tw4RRrHIYaSEs3lwA5MJ/f9t"
    "a06OkYKapjXHIT3gggYauOTVCaFch6Y2A4Fj/2B3sTk1CYhfd+BVxNMc4DH2BNKw3Am+l+"
    "EMwnxHh7n41kCvsTMyHOI3DYdAai6INqH8TqRf2pZ3NxGdwdDTDeQoNQd8OPxyi+swOTs7"
    "IzC2fY78w//1P+Qv8u1Xpaus/v37P4hpTA13OMxPjIx6GnyuilkcBRGS2ZHSH/+s/njpG9"
    "pLXfHVZCjK5ej8qR+Xt38E8lPQTolyHpTiHkLtxaMJQoranAq0hwiClB7/jFpnl2mWnVlU"
    "Nnq7gM5pr1o+qnJ2OPOrRYACNBxi43vxNNCwNFDpyHGQYiL+wwoS9DsDLY2zk7Tm+YS+RE"
    "ENDnsu0hoRrRB64Y5/7BChTqDgCZUalFM/buoXcdUfuAN+jDv3abIKx0lQp4MGpTjgKXDV"
    "7wpUSQ04A+omJ/MJEw8fcL+dQ2yhdvrMB3pQoe/ZzNeIoQf/Ckw3C7YxfHOYCwY3XGYuCi"
    "mQpc5IXqttSvVSqpdVUXykenmY6uVfHuWu4WZkLecqHVESWUUiw10mVfYXo7LLagvPsC3I"
    "XIt87h9m1H1erkVFbLVvbDSxrHvlO+OZVRBj99daa3O/pcqWTQuZa0GdQUF1RvpL2wdsri"
    "DKVNwC9RIML8Pxq//55g+8gvGd2YtM020L/Q44e4D3Nxc/o011AeaW7s1MQ4M5Q0zLCQol"
    "GsLQE54BHKH+Rce10IKyPFezYNrlGE8p82gV3hlMZ2kNPbM1lBgrZXbBDFKZFFBkExTsKc"
    "HosP2urKLnY+/rQucNv15z3vDr9HnDdGbkJ3jlczlBVj+FbvsWaLiIp7i8DviOEO3KBN3r"
    "gH6W/DncwKeZtXvWhtRGyWQYbYkw2hldmBbNGOn/7HXaOXDAiiRprRiaS/5LTMM5RMhlDc"
    "ORGTGGp0r6JKv3JBQW7CBZ0ufwEorAktMYzLRwTBROK+oqTaX11S8V5vcw4LfdTlPp+Rk9"
    "tqUxxxFJQp/bHT8D6I5bIu3nU6MlEonw0O+q1BjLPxo0v8pthKQ2rtGtwZMmZpKVrigWp6"
    "qDYrPvsmLhdNyoZmWMVAJXVQeuYtt+uOJuIPgkrYy8r5o3oCIQZcdzR9ZDLkIZvX26DqC0"
    "RMOy+KRuTUGgIY44HEaHrY8cOsw9DaIugnhjm5kU/6IumVBMIMpEKLfS84AbLnEt7MVeEN"
    "2z8WtJUI9ixGxyzC3XGCNoCR/lQFOdLn4hYGTqBkY1YzyzB38OuAnzyj55JFzFsMncBivA"
    "KQxpJqe5pYl8VXlwcwXAzaoBbbUCf54hjqZi+98eoOLoalJS/0iQ1lDxPHT9QwJMlQCYpJ"
    "Jf50lWESW/HdFSr0K/foa2n9lurdof1X/VaMhAgTMaA+0cj0/Esw4Z12eWEWjr/uoCivrE"
    "MgOvvwgXICNLX4C+DkryKRkbMCSJP/bjBzZuresBH1P+Mxg3IorbtwNs5sJPPyTBga4J/n"
    "BWir3o4ow0xHUwEjSTGlNnwIWJYc3R2gDbQxzxOByalnYPE9jjrmHCOx1TjHV3RDyEONuR"
    "6UE3Pzl+Rxg3gcWWHD9f0n+2fzxkcAQldiyC37F5fmh51HUeMigjqHyFYcOD3fAYzmVF4X"
    "hklCFjKp7b7MgPpsjn9ZooCnkAgc+cstZcnEradEUyFvO00HznQr4Wepgs3rdr4QDdm7dK"
    "+6rV/lzWuxmQXZDgjwG/Uq5bX/3jkpZ/rjyZ/m/pyayvJxNW/Bk8hql5kyCXuXnkNarIvT"
    "VWJ5XGFJfXm7gZ5NLKrZqVG5taEXumrLCTtFLSVZa0MIPVsW1Ny8o5Timx4UqLWSZN5e+V"
    "9Y09CQGhskBCnExiCevr/y1htxSLS9cAjEK3SqTbw2TzozUBEwMtVhew2eg1G1fKc5UFzJ"
    "TEI2B7VGIFwfbo2NnpgXISz33eiiF2hh69JsrBzlKdDxMNS4Q4vHr7sUiMAzTLD3IQNzPw"
    "3QzzP9/3vaLYv+s7MqRHnmG6BnfO8HnPMap3k3HBQG/M2BHXpIIuKWo46l+fFxn00CofTz"
    "xPD3mO3172SIQI1R7Tt8JF/WCzt6QBlT/U62VAlYj2WA2PIGjCYBlb0GVA++m3LjNpeHzw"
    "4wZANHbjwIZEngHwY5cqewP4r02OMpT04M5atZyu2lRGD8/1XWSq4Rm2YjDGn6Z/V95Pka"
    "92b5DD/9T8/apNxT1EGOOkKsHhoHkNubuTWhTwRJdloUv5pk2ERIb1lrRinjXY88f/A800"
    "Fdk="
)
